import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  RestApi,
  type RestApiProps,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Props of {@link CheckApi}. */
export interface CheckApiProps {
  /** The `/check` handler (API Gateway REST proxy integration). */
  readonly handler: IFunction;
  readonly logRetention: RetentionDays;
  /**
   * Steady-state requests a second the stage accepts.
   * @default 5
   */
  readonly rateLimit?: number;
  /**
   * Burst the stage accepts.
   * @default 10
   */
  readonly burstLimit?: number;
}

/**
 * `GET /check`: a REST API with AWS_IAM authorization (callers sign with SigV4), stage throttling,
 * JSON access logs and X-Ray, in front of the check-data-load function. The URL is a stack output.
 */
export class CheckApi extends Construct {
  public readonly api: RestApi;
  /** Full URL of the check endpoint. */
  public readonly checkUrl: string;
  public readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: CheckApiProps) {
    super(scope, id);
    const throttling = checkThrottling(id, props);

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.api = new RestApi(this, 'Api', restApiProps(this.accessLogs, throttling));
    this.addCheckMethod(props.handler);
    this.checkUrl = this.api.urlForPath('/check');
    new CfnOutput(this, 'CheckUrl', { value: this.checkUrl, description: 'GET with a SigV4-signed request' });
    acknowledgeApiFindings(this.api);
  }

  /** `GET /check`, IAM-authorized, proxied to `handler`, its query string checked by a validator. */
  private addCheckMethod(handler: IFunction): void {
    const validator = new RequestValidator(this, 'Validator', {
      restApi: this.api,
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    this.api.root.addResource('check').addMethod('GET', new LambdaIntegration(handler, { proxy: true }), {
      authorizationType: AuthorizationType.IAM,
      requestValidator: validator,
      // Optional filters: one instance id and/or one feed.
      requestParameters: {
        'method.request.querystring.instance': false,
        'method.request.querystring.feed': false,
      },
    });
  }
}

/** The stage's throttling: the props' limits or their defaults. */
interface Throttling {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The throttling limits with their defaults, every problem with them reported at once. */
function checkThrottling(id: string, props: CheckApiProps): Throttling {
  const rateLimit = props.rateLimit ?? 5;
  const burstLimit = props.burstLimit ?? 10;
  const problems: string[] = [];
  if (rateLimit <= 0 || rateLimit > 10000) problems.push(`rateLimit: expected 1-10000 (got ${rateLimit})`);
  if (!Number.isInteger(burstLimit) || burstLimit < 1)
    problems.push(`burstLimit: expected >= 1 (got ${burstLimit})`);
  if (problems.length > 0) throw new Error(`CheckApi ${id}: ${problems.join('; ')}`);
  return { rateLimit, burstLimit };
}

/**
 * A regional REST API, IAM-authorized by default, whose `v1` stage is throttled, traced, and logs
 * errors and JSON access logs to `accessLogs`.
 */
function restApiProps(accessLogs: LogGroup, throttling: Throttling): RestApiProps {
  return {
    description: 'Connect metrics pipeline: data load check',
    endpointTypes: [EndpointType.REGIONAL],
    // API Gateway writes any stage log (access logs included) only with the account's CloudWatch Logs
    // role set; a new account or Region has none ("CloudWatch Logs role ARN must be set in account
    // settings to enable logging"). This sets it (AWS::ApiGateway::Account, one per account and
    // Region) and keeps it when the stack goes: other APIs in the account may rely on it by then.
    cloudWatchRole: true,
    cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
    deployOptions: {
      stageName: 'v1',
      throttlingRateLimit: throttling.rateLimit,
      throttlingBurstLimit: throttling.burstLimit,
      tracingEnabled: true,
      loggingLevel: MethodLoggingLevel.ERROR,
      accessLogDestination: new LogGroupLogDestination(accessLogs),
      accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
    },
    defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
  };
}

/** The cdk-nag findings the API, its stage and its CloudWatch role carry by design, each with its reason. */
function acknowledgeApiFindings(api: RestApi): void {
  Validations.of(api.deploymentStage).acknowledge({
    id: 'AwsSolutions-APIG3',
    reason:
      'One IAM-authorized, throttled read-only GET; a WAF web ACL would add cost without a threat it stops.',
  });
  Validations.of(api.node.findChild('CloudWatchRole')).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      "The account-level role API Gateway assumes to write logs; AWS's managed policy for exactly that, kept current by AWS.",
  });
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-COG4',
    reason: 'Callers are AWS principals authorized with AWS_IAM (SigV4), not Cognito users.',
  });
}
