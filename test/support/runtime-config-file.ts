import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RUNTIME_CONFIG_FILE } from '../../lambdas/shared/config/env';

/**
 * Writes `config` (an object as JSON, or text as it is) where a function would find its bundled runtime
 * config, and returns the path for PIPELINE_CONFIG_FILE.
 */
export function runtimeConfigFile(config: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'runtime-config-')), RUNTIME_CONFIG_FILE);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}
