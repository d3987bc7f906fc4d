import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CheckApi, type CheckApiProps } from '../../../lib/constructs/check-api';
import { testApp } from '../fixtures';

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

test('the check URL is a stack output', () => {
  expect(Object.keys(template.findOutputs('*')).some((k) => k.includes('CheckUrl'))).toBe(true);
});

test('a non-positive rate limit is refused with the value received', () => {
  expect(() => build({ rateLimit: 0 })).toThrow(/rateLimit: expected 1-10000 \(got 0\)/);
});
