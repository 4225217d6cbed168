import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Effect, type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition.ts';
import {
  ASYNC_RETRY_DELAYS_MS,
  FUNCTION_TIMEOUT_SECONDS,
  type TimedFunction,
} from '../../shared/runtime/function-timeouts.ts';

export interface CrmFunctionProps {
  /** Path of the handler module, relative to the repository root. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  /** Which timeout of shared/runtime/function-timeouts.ts it runs under (the local runtime enforces the same). */
  timeout: TimedFunction;
  /** A fixed name, for a function whose ARN must be known without a reference to it (it schedules itself). */
  functionName?: string;
  /**
   * Whether the bundle carries the Alibaba Cloud SMS SDK (about 1.1 MB): only a deployment whose
   * smsProvider is aliyun loads it. Elsewhere it is left out, and its one dynamic import is never reached.
   */
  bundlesAliyunSdk?: boolean;
}

/** esbuild options shared by CDK and the benchmarks, so the measured bundle is the deployed one. */
export const bundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies still call require(); ESM bundles need it defined.
  banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
};

/**
 * What a bundle leaves out: the AWS SDK v3, which the nodejs24.x runtime provides (the CDK's own
 * default, restated because naming any external replaces it), and the Alibaba Cloud SDK unless the
 * deployment sends SMS through it.
 */
export const externalModules = (bundlesAliyunSdk: boolean) => [
  '@aws-sdk/*',
  ...(bundlesAliyunSdk ? [] : ['@alicloud/*']),
];

const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
};

/**
 * A Lambda function as this project deploys them: Node 24 on arm64, ESM, a log group with
 * retention, and its own role. Each `use…` method adds an environment variable together with the
 * exact grant it needs, so a function can never read a variable it has no permission for.
 */
export class CrmFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  /** The function's ARN, built from its fixed name when it has one, so it can name itself without a cycle. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CrmFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`,
    });
    logGroup.grantWrite(this.role);
    const fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      ...(props.functionName ? { functionName: props.functionName } : {}),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS[props.timeout]),
      role: this.role,
      logGroup,
      bundling: { ...bundlingOptions, externalModules: externalModules(props.bundlesAliyunSdk === true) },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: id,
        ...props.environment,
      },
    });
    this.function = fn;
    this.arn = props.functionName
      ? Stack.of(this).formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: props.functionName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })
      : fn.functionArn;
  }

  /**
   * For a function invoked asynchronously (by Scheduler, an EventBridge rule or SNS): Lambda's own
   * two retries, then the event and the error go to `destination`. A target's retry policy and DLQ
   * only cover handing the event over; this covers the function failing.
   */
  onFailure(destination: IQueue): this {
    this.function.configureAsyncInvoke({
      onFailure: new SqsDestination(destination),
      retryAttempts: ASYNC_RETRY_DELAYS_MS.length,
      maxEventAge: Duration.hours(6),
    });
    return this;
  }

  /** TABLE_NAME plus item-level access to the table and its declared indexes; no wildcard resources. */
  useTable(table: ITable, access: 'read' | 'readWrite', cursorKey?: ISecret): this {
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    // Signs list cursors. Resolved by CloudFormation at deploy time; it guards only the integrity of paging.
    if (cursorKey) this.function.addEnvironment('CURSOR_KEY', cursorKey.secretValue.unsafeUnwrap());
    const indexArns = tableDefinition.globalSecondaryIndexes.map(
      (gsi) => `${table.tableArn}/index/${gsi.indexName}`,
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: access === 'read' ? TABLE_ACTIONS.read : [...TABLE_ACTIONS.read, ...TABLE_ACTIONS.write],
        resources: [table.tableArn, ...indexArns],
      }),
    );
    if (table.encryptionKey) {
      access === 'read'
        ? table.encryptionKey.grantDecrypt(this.role)
        : table.encryptionKey.grantEncryptDecrypt(this.role);
    }
    return this;
  }

  /** EVENT_BUS_NAME plus events:PutEvents on that bus only. */
  publishesTo(bus: IEventBus): this {
    this.function.addEnvironment('EVENT_BUS_NAME', bus.eventBusName);
    bus.grantPutEventsTo(this.role);
    return this;
  }

  /**
   * EMAIL_FROM and SES_CONFIGURATION_SET plus ses:SendEmail on that sending identity and configuration
   * set only; every email goes through the set, whose event destination reports bounces and complaints.
   */
  sendsEmail(from: string, identityArn: string, configuration?: { name: string; arn: string }): this {
    this.function.addEnvironment('EMAIL_FROM', from);
    if (configuration) this.function.addEnvironment('SES_CONFIGURATION_SET', configuration.name);
    const configurationSetArn = configuration?.arn;
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identityArn, ...(configurationSetArn ? [configurationSetArn] : [])],
      }),
    );
    return this;
  }

  /** SMS_ORIGINATION_NUMBER plus sns:Publish, which for a phone-number target has no resource ARN. */
  sendsSms(originationNumber: string): this {
    this.function.addEnvironment('SMS_ORIGINATION_NUMBER', originationNumber);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        resources: ['*'],
        conditions: { Bool: { 'aws:SecureTransport': 'true' } },
      }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'SNS Publish straight to a phone number (SMS) has no resource ARN to name; the statement allows only sns:Publish.',
    });
    return this;
  }

  /**
   * Alibaba Cloud SMS: the provider setting, sign name and template codes, and read access to the
   * one secret holding the AccessKey. Sending goes to Alibaba Cloud over HTTPS; no AWS grant needed.
   */
  sendsAliyunSms(
    settings: { signName: string; templateTransactional: string; templatePromotional: string },
    credentials: ISecret,
  ): this {
    for (const [name, value] of Object.entries({
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_SIGN_NAME: settings.signName,
      ALIYUN_SMS_TEMPLATE_TRANSACTIONAL: settings.templateTransactional,
      ALIYUN_SMS_TEMPLATE_PROMOTIONAL: settings.templatePromotional,
      ALIYUN_CREDENTIALS_SECRET_ARN: credentials.secretArn,
    })) {
      this.function.addEnvironment(name, value);
    }
    credentials.grantRead(this.role);
    return this;
  }

  /** ALIYUN_PUSH_SECRET_ARN plus read access to that secret only. */
  readsAliyunPushSecret(secret: ISecret): this {
    this.function.addEnvironment('ALIYUN_PUSH_SECRET_ARN', secret.secretArn);
    secret.grantRead(this.role);
    return this;
  }

  /**
   * The Scheduler settings, with rights to create and delete schedules in that group only and to
   * pass exactly the scheduler role, to Scheduler and nothing else.
   */
  schedules(props: {
    groupName: string;
    schedulesArn: string;
    role: IRole;
    deadLetterArn: string;
    targets: { deliverTouchpoint: string; runBroadcast: string; broadcastQueue: string };
  }): this {
    for (const [name, value] of Object.entries({
      SCHEDULE_GROUP: props.groupName,
      SCHEDULER_ROLE_ARN: props.role.roleArn,
      SCHEDULER_DLQ_ARN: props.deadLetterArn,
      DELIVER_TOUCHPOINT_ARN: props.targets.deliverTouchpoint,
      RUN_BROADCAST_ARN: props.targets.runBroadcast,
      BROADCAST_QUEUE_ARN: props.targets.broadcastQueue,
    })) {
      this.function.addEnvironment(name, value);
    }
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [props.schedulesArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [props.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    return this;
  }

  /** UNSUBSCRIBE_KEY_ID and PUBLIC_BASE_URL, with the one KMS MAC operation this function needs on that key. */
  signsLinks(key: IKey, use: 'sign' | 'verify', publicBaseUrl: string): this {
    this.function.addEnvironment('UNSUBSCRIBE_KEY_ID', key.keyArn);
    this.function.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [use === 'sign' ? 'kms:GenerateMac' : 'kms:VerifyMac'],
        resources: [key.keyArn],
      }),
    );
    return this;
  }

  /** The queue's URL in `variable` plus sqs:SendMessage on that queue. */
  sendsTo(queue: IQueue, variable: 'SEND_QUEUE_URL' | 'SEGMENT_QUEUE_URL' | 'BULK_QUEUE_URL'): this {
    this.function.addEnvironment(variable, queue.queueUrl);
    queue.grantSendMessages(this.role);
    return this;
  }

  /**
   * UPLOAD_BUCKET plus, for `presign`, s3:PutObject on import files (what a presigned PUT is signed
   * with), or, for `read`, s3:GetObject on them: the imports/ prefix only.
   */
  usesUploads(bucket: IBucket, use: 'presign' | 'read'): this {
    this.function.addEnvironment('UPLOAD_BUCKET', bucket.bucketName);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [use === 'presign' ? 's3:PutObject' : 's3:GetObject'],
        resources: [bucket.arnForObjects('imports/*')],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/imports/*]`,
      reason:
        'Each import has its own object key (imports/{kind}/{id}.csv), known only at run time; the grant is one action on that prefix of the upload bucket.',
    });
    return this;
  }

  /** Plain settings that need no grant. */
  withSettings(settings: Record<string, string>): this {
    for (const [name, value] of Object.entries(settings)) this.function.addEnvironment(name, value);
    return this;
  }
}
