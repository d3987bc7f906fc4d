import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CheckApi, type CheckApiProps } from '../../../lib/constructs/check-api';
import { testApp } from '../../support/cdk-fixtures';

function build(props: Partial<CheckApiProps> = {}) {
  const stack = new Stack(testApp(), 'Check');
  const handler = LambdaFunction.fromFunctionArn(
    stack,
    'Handler',
    'arn:aws:lambda:us-east-1:111111111111:function:check',
  );
  const api = new CheckApi(stack, 'CheckApi', { handler, logRetention: RetentionDays.ONE_MONTH, ...props });
  return { api, template: Template.fromStack(stack) };
}
const { template } = build();

test('GET /check requires AWS_IAM (SigV4) authorization', () => {
  template.hasResourceProperties('AWS::ApiGateway::Method', {
    HttpMethod: 'GET',
    AuthorizationType: 'AWS_IAM',
  });
});

test('GET /check declares its optional instance and feed filters', () => {
  template.hasResourceProperties('AWS::ApiGateway::Method', {
    HttpMethod: 'GET',
    RequestParameters: {
      'method.request.querystring.instance': false,
      'method.request.querystring.feed': false,
    },
  });
});

test('no method of the API is open without authorization', () => {
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));

  expect(methods.map((m) => m.Properties.AuthorizationType)).not.toContain('NONE');
});

test('the stage throttles and writes JSON access logs', () => {
  template.hasResourceProperties('AWS::ApiGateway::Stage', {
    MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })]),
    AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('"requestId"') }),
    TracingEnabled: true,
  });
});

test('a first deploy in a fresh account works: the stack sets the account CloudWatch Logs role before the stage logs', () => {
  const accounts = template.findResources('AWS::ApiGateway::Account');
  const [accountId, account] = Object.entries(accounts)[0]!;
  const roleId = (account.Properties.CloudWatchRoleArn as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];

  expect(Object.keys(accounts)).toHaveLength(1);
  template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([accountId]) });
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
    }),
    ManagedPolicyArns: [
      Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AmazonAPIGatewayPushToCloudWatchLogs')])],
      }),
    ],
  });
  // Account-wide: kept when this stack is deleted, as other APIs may use it by then.
  expect(account.DeletionPolicy).toBe('Retain');
  expect(template.toJSON().Resources[roleId]?.DeletionPolicy).toBe('Retain');
});

test('the stage logs errors of every method as well as access', () => {
  template.hasResourceProperties('AWS::ApiGateway::Stage', {
    MethodSettings: Match.arrayWith([
      Match.objectLike({ LoggingLevel: 'ERROR', HttpMethod: '*', ResourcePath: '/*' }),
    ]),
  });
});

test('the check URL is a stack output', () => {
  expect(Object.keys(template.findOutputs('*')).some((k) => k.includes('CheckUrl'))).toBe(true);
});

test('a non-positive rate limit is refused with the value received', () => {
  expect(() => build({ rateLimit: 0 })).toThrow(/rateLimit: expected 1-10000 \(got 0\)/);
});
