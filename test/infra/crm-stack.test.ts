import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CrmFunction } from '../../infra/constructs/crm-function.ts';
import { CrmStack } from '../../infra/crm-stack.ts';
import { PUBLISHED_RECORD_FILTERS } from '../../shared/adapters/dynamodb/stream-mapping.ts';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition.ts';
import { eventRoutes } from '../../shared/events/routes.ts';
import { routeKey } from '../../shared/http/route-spec.ts';
import { allRoutes } from '../../shared/http/routes/index.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '../../shared/runtime/function-timeouts.ts';
import { functionBundle } from '../support/cdk-assets.ts';

let app: App;
let stack: CrmStack;
let template: Template;

beforeAll(() => {
  app = new App();
  stack = new CrmStack(app, 'Test', {
    defaultTimezone: 'Asia/Shanghai',
    emailFrom: 'crm@example.com',
    emailIdentity: 'example.com',
    smsOriginationNumber: '+12065550100',
    env: { account: '123456789012', region: 'ap-east-1' },
  });
  template = Template.fromStack(stack);
}, 300_000); // bundles every function with esbuild

type Resource = { Properties: Record<string, unknown> };
const resources = (type: string) => Object.values(template.findResources(type)) as Resource[];

describe('CrmStack', () => {
  it('declares every route once, each behind the JWT authorizer', () => {
    const routes = resources('AWS::ApiGatewayV2::Route');
    // The Alibaba Cloud push route exists only in a deployment with smsProvider aliyun (below).
    const deployed = allRoutes.filter((r) => r.group !== 'sms-inbound-aliyun');
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(deployed.map(routeKey).sort());
    const publicRoutes = deployed.filter((r) => r.public).map(routeKey);
    expect(publicRoutes.sort()).toEqual(['GET /unsubscribe/{token}', 'POST /unsubscribe/{token}']);
    for (const route of routes) {
      const key = String(route.Properties.RouteKey);
      expect(route.Properties.AuthorizationType, key).toBe(publicRoutes.includes(key) ? 'NONE' : 'JWT');
      if (!publicRoutes.includes(key)) expect(route.Properties.AuthorizerId).toBeDefined();
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
  });

  it('logs access as JSON and throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"routeKey":"\\$context.routeKey"'),
      },
    });
  });

  it('builds the table from the shared definition, with the stream and PITR on', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((gsi) =>
        Match.objectLike({ IndexName: gsi.indexName }),
      ),
    });
  });

  it('leaves the Alibaba Cloud SMS SDK (about 1.1 MB) out of an SNS deployment, and the AWS SDK to the runtime', () => {
    const bundle = functionBundle(app, template, 'DeliverTouchpoint');
    // The one dynamic import stays a bare specifier, never reached with SMS_PROVIDER=aws.
    expect(bundle.includes('import("@alicloud/dysmsapi20170525")')).toBe(true);
    expect(bundle.includes('TemplateCode')).toBe(false);
    expect(/from"@aws-sdk\/client-dynamodb"|import\("@aws-sdk\/client-dynamodb"\)/.test(bundle)).toBe(true);
  });

  it('runs every function on nodejs24.x arm64 with a retained log group', () => {
    // CDK's own BucketDeployment handler (which uploads the console) runs on the runtime aws-cdk-lib picks.
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'))
      .map(([, fn]) => fn as Resource);
    // Every other function is a CrmFunction.
    expect(functions.length).toBe(stack.node.findAll().filter((c) => c instanceof CrmFunction).length);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig).toBeDefined();
    }
    for (const group of resources('AWS::Logs::LogGroup'))
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('grants DynamoDB only on the table and its named indexes, never on *', () => {
    const policies = resources('AWS::IAM::Policy');
    const statements = policies.flatMap(
      (p) =>
        (
          p.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[];
          }
        ).Statement,
    );
    // Only the two actions AWS offers no resource ARN for may name "*", and the invalidation that
    // CDK's BucketDeployment (the console upload) grants itself.
    const wildcard = statements
      .filter((s) => JSON.stringify(s.Resource) === '"*"')
      .flatMap((s) => [s.Action].flat());
    expect([...new Set(wildcard)].sort()).toEqual([
      'cloudfront:CreateInvalidation',
      'cloudfront:GetInvalidation',
      'dynamodb:ListStreams',
      'sns:Publish',
    ]);
    const dynamo = statements.filter((s) => [s.Action].flat().includes('dynamodb:GetItem'));
    const withTable = resources('AWS::Lambda::Function').filter(
      (f) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables.TABLE_NAME,
    );
    expect(dynamo.length).toBe(withTable.length);
    for (const statement of dynamo) {
      expect(JSON.stringify(statement.Resource)).not.toContain('/index/*');
      // Either the table and its named indexes, or narrower: the table's own items under named key prefixes.
      if (!statement.Condition) expect(JSON.stringify(statement.Resource)).toContain('/index/gsi1');
      expect([statement.Action].flat()).not.toContain('dynamodb:Scan');
    }
  });

  it('lets the repeat-purchase counter touch only its own items, with no query and no index', () => {
    const fn = resources('AWS::Lambda::Function').find((f) =>
      String(f.Properties.Description).includes('repeat-purchase'),
    );
    expect(fn).toBeDefined();
    const roleId = ((fn as Resource).Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    const grants = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(String(roleId)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[])
      .filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(grants).toHaveLength(1);
    expect([grants[0]?.Action].flat().sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(JSON.stringify(grants[0]?.Resource)).not.toContain('/index/');
    expect(grants[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REPEAT#*', 'REPORT#repeat#*'] },
    });
  });

  it('gives the docs function no table access and no TABLE_NAME', () => {
    const docs = resources('AWS::Lambda::Function').find((fn) =>
      String(fn.Properties.Description).includes('OpenAPI'),
    );
    expect(docs).toBeDefined();
    const env =
      (docs?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(env.TABLE_NAME).toBeUndefined();
  });

  it('feeds the stream to the bus with bounded retries, bisecting and a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('filters the stream so only entity records start the publisher', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: {
        Filters: PUBLISHED_RECORD_FILTERS.map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
      },
    });
  });

  it('makes one rule per shared event route, each target with retries and a DLQ', () => {
    // The upload rule (S3 → the bulk queue) is the imports' own; see the test below.
    const rules = resources('AWS::Events::Rule').filter(
      (rule) => (rule.Properties.EventPattern as { source: string[] }).source[0] !== 'aws.s3',
    );
    expect(rules.length).toBe(eventRoutes.length);
    for (const rule of rules) {
      const pattern = rule.Properties.EventPattern as Record<string, unknown>;
      expect(['crm', 'aws.ses']).toContain((pattern.source as string[])[0]);
      const [target] = rule.Properties.Targets as Record<string, unknown>[];
      expect(target?.DeadLetterConfig).toBeDefined();
      expect(target?.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 4 });
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents' })]) },
    });
  });

  it('lets Scheduler invoke only the two delivery targets, with a DLQ, and passes only that role', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: Match.anyValue() });
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
        },
        Description: Match.stringLikeRegexp('campaign'),
      },
    });
    expect(Object.keys(roles)).toHaveLength(1);
    const [schedulerRoleId] = Object.keys(roles);
    const statements = resources('AWS::IAM::Policy').flatMap(
      (p) =>
        (
          p.Properties.PolicyDocument as {
            Statement: { Action: unknown; Resource: unknown; Condition?: unknown }[];
          }
        ).Statement,
    );
    const passRole = statements.filter((s) => s.Action === 'iam:PassRole');
    // The campaign routes, planning, forgetting, the two deliveries (deferrals) and backfills create schedules.
    expect(passRole).toHaveLength(6);
    for (const statement of passRole) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [schedulerRoleId, 'Arn'] });
      expect(statement.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      });
    }
    const invoke = statements.find(
      (s) =>
        s.Action === 'lambda:InvokeFunction' && JSON.stringify(s.Resource).includes('deliver-touchpoint'),
    );
    expect(invoke?.Resource).toHaveLength(2);
  });

  it('gives every asynchronously invoked function an on-failure destination after two retries', () => {
    const configs = resources('AWS::Lambda::EventInvokeConfig');
    const withDestination = configs.filter(
      (c) => (c.Properties.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure,
    );
    // Scheduler's three targets (touchpoints, broadcast runs, the lead sweep), every rule target, the SNS subscriber.
    const ruleTargets = new Set(eventRoutes.map((route) => route.target));
    expect(withDestination).toHaveLength(3 + ruleTargets.size + 1);
    for (const config of withDestination) expect(config.Properties.MaximumRetryAttempts).toBe(2);
  });

  it('raises an alarm on every dead-letter queue, to one encrypted topic', () => {
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    const deadLetters = queues.filter(
      (id) => !/(Broadcast(Sends|Segments)|BulkJobs|AbandonedDeliveries)[0-9A-F]{8}$/.test(id),
    );
    const alarms = resources('AWS::CloudWatch::Alarm');
    const watched = alarms.map((a) => JSON.stringify(a.Properties.Dimensions));
    for (const queue of deadLetters) {
      expect(
        watched.some((d) => d.includes(queue)),
        queue,
      ).toBe(true);
    }
    for (const alarm of alarms) {
      // The abandoned deliveries are consumed (each message ends failed), so arrivals raise its alarm.
      const consumed = /AbandonedDeliveries[0-9A-F]{8}"/.test(JSON.stringify(alarm.Properties.Dimensions));
      expect(alarm.Properties.MetricName).toBe(
        consumed ? 'NumberOfMessagesReceived' : 'ApproximateNumberOfMessagesVisible',
      );
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
  });

  it('hands a touchpoint delivery given up on, and a broadcast send given up on, to a consumer that ends the message failed', () => {
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) =>
      /AbandonedDeliveries[0-9A-F]{8}$/.test(id),
    ) as string;
    expect(queueId).toBeDefined();
    const functionId = (name: string) =>
      Object.keys(template.findResources('AWS::Lambda::Function')).find((id) =>
        id.startsWith(name),
      ) as string;
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId('DeliverTouchpoint') },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('CloseAbandonedDeliveries') },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    const sends = Object.entries(template.findResources('AWS::SQS::Queue')).find(([id]) =>
      /BroadcastSends[0-9A-F]{8}$/.test(id),
    )?.[1] as { Properties: { RedrivePolicy: { deadLetterTargetArn: unknown } } };
    expect(sends.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
  });

  it('sends every email through a configuration set whose event destination is the default bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      }),
    });
    const emailing = resources('AWS::Lambda::Function').filter(
      (f) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables.EMAIL_FROM,
    );
    expect(emailing.length).toBeGreaterThanOrEqual(3);
    for (const f of emailing) {
      expect(
        (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SES_CONFIGURATION_SET,
      ).toBeDefined();
    }
  });

  it('deploys each function with the timeout the local runtime enforces', () => {
    const timeouts = Object.fromEntries(
      resources('AWS::Lambda::Function').map((f) => [String(f.Properties.Description), f.Properties.Timeout]),
    );
    expect(timeouts['touchpoint delivery']).toBe(FUNCTION_TIMEOUT_SECONDS['deliver-touchpoint']);
    expect(timeouts['broadcast audience paging, one segment at a time']).toBe(
      FUNCTION_TIMEOUT_SECONDS['page-broadcast'],
    );
    expect(timeouts['the customer routes']).toBe(FUNCTION_TIMEOUT_SECONDS.http);
  });

  it('runs the daily lead sweep on a Scheduler cron in the deployment zone, invoking only the sweep, with DLQs', () => {
    const sweepId = Object.keys(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: 'the daily stale-lead sweep' },
      }),
    )[0] as string;
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(5 0 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [sweepId, 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.anyValue(),
      }),
    });
    // Errors the sweep throws go to an on-failure destination after Lambda's async retries.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: sweepId },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    const statements = resources('AWS::IAM::Policy').flatMap(
      (p) =>
        (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
    );
    const invokesSweep = statements.filter(
      (s) => s.Action === 'lambda:InvokeFunction' && JSON.stringify(s.Resource).includes(sweepId),
    );
    expect(invokesSweep).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [sweepId, 'Arn'] } })]);
  });

  it('subscribes the inbound SMS function to an encrypted topic, with a DLQ on the subscription', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
  });

  it('lets the console origin call the API and accepts the console client in the authorizer', () => {
    const [api] = resources('AWS::ApiGatewayV2::Api');
    const cors = api?.Properties.CorsConfiguration as Record<string, unknown>;
    expect(JSON.stringify(cors.AllowOrigins)).toContain('ConsoleDistribution');
    expect(cors.AllowHeaders).toEqual(
      expect.arrayContaining(['authorization', 'if-match', 'idempotency-key']),
    );
    const [authorizer] = resources('AWS::ApiGatewayV2::Authorizer');
    const audience = (authorizer?.Properties.JwtConfiguration as { Audience?: unknown[] } | undefined)
      ?.Audience;
    expect(audience).toHaveLength(2);
    expect(JSON.stringify(audience)).toContain('ConsoleClient');
  });

  it('creates the five role groups in a Cognito pool with MFA required', () => {
    const groups = resources('AWS::Cognito::UserPoolGroup').map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'manager', 'marketer', 'sales', 'service']);
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
  });

  it('keeps import uploads private, encrypted, SSL-only and short-lived, and starts a job from the upload event', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({}),
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7 })]) },
      // The console PUTs the file from its CloudFront origin, and only PUTs.
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: ['PUT'],
            AllowedHeaders: ['content-type'],
            AllowedOrigins: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const [upload] = resources('AWS::Events::Rule').filter(
      (rule) => (rule.Properties.EventPattern as { source: string[] }).source[0] === 'aws.s3',
    );
    expect(upload?.Properties.EventPattern).toMatchObject({
      'detail-type': ['Object Created'],
      detail: { object: { key: [{ prefix: 'imports/' }] } },
    });
    const [target] = (upload?.Properties.Targets ?? []) as Record<string, unknown>[];
    expect(JSON.stringify(target?.Arn)).toContain('BulkJobs');
    expect(target?.DeadLetterConfig).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'imports and campaign backfills, a checkpointed chunk at a time',
      Timeout: FUNCTION_TIMEOUT_SECONDS['bulk-jobs'],
    });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`),
    );
    expect(findings).toEqual([]);
  });

  it('would report a finding (the check is live)', () => {
    const scratch = new Stack(new App(), 'Scratch');
    new UserPool(scratch, 'Bare');
    const report = new AwsSolutionsChecks().validateScope(scratch);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining([expect.stringContaining('COG')]),
    );
  });
});
