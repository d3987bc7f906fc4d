import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { type DeployConfig, type DeployConfigInput, parseDeployConfig } from '../../lib/config';

/** The example deploy config shipped in config/example.json. */
export const EXAMPLE_CONFIG_PATH = path.join(__dirname, '..', '..', 'config', 'example.json');

/** The example config, optionally changed by `patch` (shallow, per top-level key). */
export function exampleConfig(patch: Partial<DeployConfigInput> = {}): DeployConfig {
  const base = JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as DeployConfigInput;
  return parseDeployConfig({ ...base, ...patch });
}

/** An app that skips bundling (tests assert templates, not bundles) and knows the example's zones. */
export function testApp(): App {
  return new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      'availability-zones:account=111111111111:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    },
  });
}
