import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { hashFiles, hashMigrations } from '../../../lib/constructs/schema-migration';
import { DatabaseStack } from '../../../lib/stacks/database-stack';
import { exampleConfig, testApp } from '../../support/cdk-fixtures';

const MIGRATIONS = path.join(__dirname, '..', '..', '..', 'sql', 'migrations');

test('the migration function bundle carries the SQL migrations, built locally without Docker', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-bundle-'));
  const app = new App({
    outdir,
    context: { 'availability-zones:account=111111111111:region=us-east-1': ['us-east-1a', 'us-east-1b'] },
  });
  const stack = new DatabaseStack(app, 'Db', {
    env: { account: '111111111111', region: 'us-east-1' },
    config: exampleConfig(),
  });
  app.synth();
  const template = Template.fromStack(stack);
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
  const assetHash = String(fn!.Properties.Code.S3Key).replace(/\.zip$/, '');

  const bundle = path.join(outdir, `asset.${assetHash}`);

  expect(existsSync(path.join(bundle, 'index.js'))).toBe(true);
  expect(readdirSync(path.join(bundle, 'migrations')).sort()).toEqual(
    readdirSync(MIGRATIONS)
      .filter((f) => f.endsWith('.sql'))
      .sort(),
  );
});

test('the migrations hash changes when any migration file changes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  writeFileSync(path.join(dir, 'V001__a.sql'), 'CREATE TABLE a (id int);');
  const before = hashMigrations(dir);

  writeFileSync(path.join(dir, 'V002__b.sql'), 'CREATE TABLE b (id int);');

  expect(hashMigrations(dir)).not.toBe(before);
});

test('the handler hash changes when a file in a subfolder of its sources changes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'handler-'));
  mkdirSync(path.join(dir, 'shared', 'db'), { recursive: true });
  writeFileSync(path.join(dir, 'handler.ts'), 'export const handler = 1;');
  writeFileSync(path.join(dir, 'shared', 'db', 'grants.ts'), 'export const grants = 1;');
  const before = hashFiles([dir], '.ts');

  writeFileSync(path.join(dir, 'shared', 'db', 'grants.ts'), 'export const grants = 2;');

  expect(hashFiles([dir], '.ts')).not.toBe(before);
});

describe('the migration custom resource', () => {
  const stack = new DatabaseStack(testApp(), 'Db', {
    env: { account: '111111111111', region: 'us-east-1' },
    config: exampleConfig(),
  });
  const template = Template.fromStack(stack);
  const clusterId = Object.keys(template.findResources('AWS::RDS::DBCluster'))[0]!;

  test('gives up a minute after the function times out, not after CloudFormation hour', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));

    expect(fn?.Properties.Timeout).toBe(600);
    template.hasResourceProperties('Custom::SchemaMigration', { ServiceTimeout: '660' });
  });

  test('may set deletion protection on its own cluster only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'rds:ModifyDBCluster',
            Resource: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: clusterId }])]),
            }),
          }),
        ]),
      },
    });
  });

  test('may read the status of its own stack only, to tell a rollback from a deploy', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } }),
        ]),
      },
    });
  });
});
