import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { CheckAnswer } from '../runner/check-server';

/**
 * The dashboard page's assets, built once when the server starts: `page/app.ts` and what it imports
 * (uPlot and its stylesheet from node_modules, the page's own CSS) bundled and minified by esbuild
 * into one script and one stylesheet, served with `page/index.html`. Nothing is fetched from the
 * network at run time; the Content-Security-Policy says so to the browser as well.
 */

const PAGE_DIR = join(__dirname, 'page');

/** Only this origin: no inline script, no external script, style, font or connection. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

/** Path -> answer, for `/`, `/assets/app.js` and `/assets/app.css`. */
export type PageAssets = ReadonlyMap<string, CheckAnswer>;

export async function buildPageAssets(): Promise<PageAssets> {
  const result = await build({
    entryPoints: [join(PAGE_DIR, 'app.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022'],
    outdir: 'assets',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const headers = { 'cache-control': 'no-cache', 'content-security-policy': CONTENT_SECURITY_POLICY };
  const assets = new Map<string, CheckAnswer>([
    [
      '/',
      {
        statusCode: 200,
        body: readFileSync(join(PAGE_DIR, 'index.html')),
        contentType: 'text/html; charset=utf-8',
        headers,
      },
    ],
  ]);
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const contentType = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    assets.set(`/assets/${name}`, {
      statusCode: 200,
      body: Buffer.from(file.contents),
      contentType,
      headers,
    });
  }
  return assets;
}
