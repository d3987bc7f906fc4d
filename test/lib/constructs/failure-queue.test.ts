import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FailureQueue } from '../../../lib/constructs/failure-queue';
import { testApp } from '../../support/cdk-fixtures';

test('the failure queue is encrypted and refuses non-TLS access', () => {
  const stack = new Stack(testApp(), 'Q');
  new FailureQueue(stack, 'Failures');
  const template = Template.fromStack(stack);

  template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    PolicyDocument: {
      Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    },
  });
});

test('cdk-nag flags a plain queue but not the acknowledged failure queue (the nag check can fail)', () => {
  const app = testApp();
  const stack = new Stack(app, 'Q');
  new FailureQueue(stack, 'Failures');
  new Queue(stack, 'Plain');

  const report = new AwsSolutionsChecks(app).validateScope(app);

  const flagged = report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`),
  );
  expect(flagged.some((f) => f.includes('Q/Plain'))).toBe(true);
  expect(flagged.some((f) => f.includes('Q/Failures'))).toBe(false);
});
