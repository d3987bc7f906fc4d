#!/usr/bin/env node
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadDeployConfig } from '../lib/config';
import { addNagChecks, addPipelineStacks } from '../lib/pipeline-app';

// Wiring only: config (-c config=path) -> stacks -> cdk-nag.
const app = new App();
const configPath = String(
  app.node.tryGetContext('config') ?? path.join(__dirname, '..', 'config', 'example.json'),
);
addPipelineStacks(app, loadDeployConfig(configPath));
addNagChecks(app);
app.synth();
