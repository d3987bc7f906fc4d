import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FEED_TABLE } from '../lambdas/feeds';

// The dependency rules of docs/architecture.md, read from the import statements of the source, so a
// change that breaks one fails here instead of eroding the layout.
const ROOT = path.join(__dirname, '..');

interface Import {
  readonly specifier: string;
  /** Repository-relative path of the imported module, for relative imports. */
  readonly target: string | null;
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')))
    .sort();
}

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^(import|export)(\s+type)?[^'";]*?from\s+'([^']+)'/gms)) {
    const specifier = m[3]!;
    found.push({ specifier, target: resolve(file, specifier), typeOnly: m[2] !== undefined });
  }
  return found;
}

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
    if (existsSync(path.join(ROOT, candidate))) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

/** Every package a module loads at run time, following its relative imports (type-only ones are erased). */
function runtimePackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  for (const i of importsOf(file)) {
    if (i.typeOnly) continue;
    if (i.target) for (const p of runtimePackages(i.target, seen)) packages.add(p);
    else if (!i.specifier.startsWith('node:')) packages.add(i.specifier);
  }
  return packages;
}

const LAMBDAS = sourceFiles('lambdas');
const COLLECTOR_DIRS = Object.values(FEED_TABLE).map((f) => path.posix.dirname(f.function.entry));
const FEATURE_DIRS = [
  ...new Set(LAMBDAS.filter((f) => f.split('/').length === 3).map((f) => path.posix.dirname(f))),
].filter((d) => d !== 'lambdas/shared');

test('only the handlers import the composition root (lambdas/shared/lambda)', () => {
  const importers = LAMBDAS.filter((f) =>
    importsOf(f).some(
      (i) => i.target?.startsWith('lambdas/shared/lambda/') && !f.startsWith('lambdas/shared/lambda/'),
    ),
  );

  expect(importers.every((f) => f.endsWith('/handler.ts'))).toBe(true);
  expect(importers.length).toBeGreaterThanOrEqual(COLLECTOR_DIRS.length);
});

test.each(COLLECTOR_DIRS)('%s imports no other feature, only lambdas/shared and the feed table', (dir) => {
  const foreign = sourceFiles(dir).flatMap((f) =>
    importsOf(f)
      .map((i) => i.target)
      .filter((t): t is string => t !== null)
      .filter(
        (t) => !t.startsWith(`${dir}/`) && !t.startsWith('lambdas/shared/') && t !== 'lambdas/feeds.ts',
      ),
  );

  expect(foreign).toEqual([]);
});

test.each(COLLECTOR_DIRS)(
  '%s/collector.ts (the logic) gets its adapters injected: no SDK, no SQL store, no Connect source',
  (dir) => {
    const imports = importsOf(`${dir}/collector.ts`).filter((i) => !i.typeOnly);

    expect(imports.map((i) => i.specifier).filter((s) => !s.startsWith('.'))).toEqual([]);
    const adapters = [`${dir}/store.ts`, `${dir}/connect-source.ts`, `${dir}/index.ts`];
    expect(imports.map((i) => i.target).filter((t) => t !== null && adapters.includes(t))).toEqual([]);
  },
);

test.each(COLLECTOR_DIRS)('%s has the files of every collector folder, in the same roles', (dir) => {
  const files = sourceFiles(dir).map((f) => path.posix.basename(f));

  expect(files).toEqual(
    expect.arrayContaining([
      'handler.ts',
      'index.ts',
      'collector.ts',
      'ports.ts',
      'connect-source.ts',
      'store.ts',
    ]),
  );
});

test('every handler is one line: the composition root applied to its feature', () => {
  const collectorHandlers = COLLECTOR_DIRS.map((d) => `${d}/handler.ts`);

  for (const file of collectorHandlers) {
    const code = readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .filter(
        (l) =>
          l.trim() &&
          !l.trim().startsWith('import') &&
          !l.trim().startsWith('/') &&
          !l.trim().startsWith('*'),
      );
    expect(code).toEqual([expect.stringMatching(/^export const handler = collectorHandler\(\w+\);$/)]);
  }
});

test('what lib/ imports from lambdas/ loads no SDK or Powertools package at synth', () => {
  const fromLib = sourceFiles('lib')
    .flatMap((f) => importsOf(f).filter((i) => !i.typeOnly))
    .map((i) => i.target)
    .filter((t): t is string => t?.startsWith('lambdas/') ?? false);
  const packages = new Set(fromLib.flatMap((t) => [...runtimePackages(t)]));

  expect(fromLib.length).toBeGreaterThan(0);
  expect(
    [...packages].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@aws-lambda-powertools/')),
  ).toEqual([]);
});

test('the feed table is pure data: it loads no package at all', () => {
  expect([...runtimePackages('lambdas/feeds.ts')]).toEqual([]);
});

test('features beside the collectors exist as folders of their own', () => {
  expect(FEATURE_DIRS).toEqual(
    expect.arrayContaining(['lambdas/push', 'lambdas/retention', 'lambdas/migrate']),
  );
});
