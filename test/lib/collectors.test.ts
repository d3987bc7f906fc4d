import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ALL_CONNECT_READ_ACTIONS, COLLECTORS } from '../../lib/collectors';

/** Connect APIs a collector's own source files import from the SDK (`paginateX` or `XCommand`). */
function connectApisUsedBy(entry: string): string[] {
  const dir = path.dirname(entry);
  const apis = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    for (const [, names] of text.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-connect'/g,
    )) {
      for (const name of (names ?? '').split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        const api = /^paginate([A-Z]\w+)$/.exec(name)?.[1] ?? /^([A-Z]\w+)Command$/.exec(name)?.[1];
        if (api) apis.add(`connect:${api}`);
      }
    }
  }
  return [...apis].sort();
}

test.each(Object.values(COLLECTORS).map((c) => [c.feed, c] as const))(
  'the %s collector is granted exactly the Connect APIs its code calls',
  (_feed, spec) => {
    expect([...spec.connectActions].sort()).toEqual(connectApisUsedBy(spec.entry));
  },
);

test('the client-account role grants the union of the collectors actions, each named', () => {
  expect(ALL_CONNECT_READ_ACTIONS).toContain('connect:GetMetricDataV2');
  expect(ALL_CONNECT_READ_ACTIONS.every((a) => /^connect:[A-Z][A-Za-z0-9]+$/.test(a))).toBe(true);
});
