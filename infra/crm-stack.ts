import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { tableDefinition } from '../shared/adapters/dynamodb/table-definition.ts';
import { roles } from '../shared/domain/principal.ts';
import type { EventTarget } from '../shared/events/routes.ts';
import type { FunctionGroup } from '../shared/http/route-spec.ts';
import { allRoutes } from '../shared/http/routes/index.ts';
import type { TimedFunction } from '../shared/runtime/function-timeouts.ts';
import { AliyunSmsSecrets } from './aliyun-sms.ts';
import { CampaignDelivery } from './campaign-delivery.ts';
import { ConsoleHosting } from './console-hosting.ts';
import { CrmFunction } from './constructs/crm-function.ts';
import { EventBackbone } from './event-backbone.ts';
import { Imports } from './imports.ts';
import { InboundSms } from './inbound-sms.ts';
import { countsRepeatPurchases } from './repeat-purchases.ts';
import { SalesAutomation } from './sales-automation.ts';

export interface CrmStackProps extends StackProps {
  /** IANA zone used for customers who did not give one. */
  defaultTimezone: string;
  /** ISO country for phone numbers written without a country code; empty rejects them. */
  defaultPhoneCountry?: string | undefined;
  /** Sender of staff notifications and campaign email, e.g. crm@example.com. */
  emailFrom: string;
  /** The verified SES identity that may send as emailFrom: the domain or the address. */
  emailIdentity: string;
  /** The two-way SMS number messages are sent from (E.164). */
  smsOriginationNumber: string;
  /** aws (End User Messaging, the default) or aliyun (Alibaba Cloud SMS, for mainland China). */
  smsProvider?: 'aws' | 'aliyun';
  /** With smsProvider aliyun: the approved sign name and the two `${content}` template codes. */
  aliyunSms?: { signName: string; templateTransactional: string; templatePromotional: string };
}

const root = join(import.meta.dirname, '..');

/** Alibaba Cloud refuses a send without an approved sign name and template: fail the synth instead. */
const aliyunSettings = (settings: CrmStackProps['aliyunSms']) => {
  if (!settings?.signName || !settings.templateTransactional || !settings.templatePromotional)
    throw new Error(
      'smsProvider=aliyun needs the context values aliyunSignName, aliyunTemplateTransactional and aliyunTemplatePromotional',
    );
  return settings;
};

export class CrmStack extends Stack {
  readonly table: Table;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: CrmStackProps) {
    super(scope, id, props);

    const { partitionKey, sortKey, globalSecondaryIndexes, timeToLiveAttribute } = tableDefinition;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: AttributeType.STRING },
      });
    }

    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      // Staff accounts guard customer data: Plus adds compromised-credential and risky sign-in checks for a few cents a user.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of roles) {
      new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: userPool.userPoolId, groupName: role });
    }
    const client = new UserPoolClient(this, 'ApiClient', {
      userPool,
      authFlows: { userSrp: true },
      generateSecret: false,
    });

    const webConsole = new ConsoleHosting(this, 'Console', {
      userPool,
      domainPrefix: this.node.tryGetContext('consoleDomainPrefix') ?? `crm-console-${this.account}`,
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.api = new HttpApi(this, 'Api', {
      description: 'CRM HTTP API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpUserPoolAuthorizer('Cognito', userPool, {
        userPoolClients: [client, webConsole.client],
      }),
      // The console calls the API from its CloudFront origin.
      corsPreflight: {
        allowOrigins: [webConsole.origin],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
        ],
        allowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key'],
        exposeHeaders: ['etag', 'idempotent-replayed'],
        maxAge: Duration.hours(1),
      },
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const settings = {
      DEFAULT_TIMEZONE: props.defaultTimezone,
      ...(props.defaultPhoneCountry ? { DEFAULT_PHONE_COUNTRY: props.defaultPhoneCountry } : {}),
    };
    const cursorKey = new Secret(this, 'CursorKey', {
      description: 'Signs list cursors, so a tampered cursor is a 400',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key only signs list cursors; rotating it merely invalidates cursors in flight, so it is rotated by hand (update the secret and redeploy).',
    });
    const fn = (
      id: string,
      entry: string,
      description: string,
      timeout: TimedFunction = 'http',
      functionName?: string,
    ) =>
      new CrmFunction(this, id, {
        entry: join(root, entry),
        description,
        environment: settings,
        timeout,
        bundlesAliyunSdk: props.smsProvider === 'aliyun',
        ...(functionName ? { functionName } : {}),
      });
    const withTable = (
      id: string,
      entry: string,
      description: string,
      timeout: TimedFunction = 'http',
      functionName?: string,
    ) => fn(id, entry, description, timeout, functionName).useTable(this.table, 'readWrite', cursorKey);
    const emailIdentityArn = this.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.emailIdentity,
    });
    // Every email goes through this set; its event destination brings bounces and complaints to the default bus.
    const configurationSet = new ConfigurationSet(this, 'EmailConfiguration', {});
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    const emailConfiguration = {
      name: configurationSet.configurationSetName,
      arn: this.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSet.configurationSetName,
      }),
    };
    const aliyun =
      props.smsProvider === 'aliyun'
        ? { settings: aliyunSettings(props.aliyunSms), secrets: new AliyunSmsSecrets(this, 'AliyunSms') }
        : undefined;
    // The deployment's SMS provider (issue 12): SNS from the origination number, or Alibaba Cloud.
    const sendsSms = (f: CrmFunction) =>
      aliyun
        ? f.sendsAliyunSms(aliyun.settings, aliyun.secrets.credentials)
        : f.sendsSms(props.smsOriginationNumber);
    const messaging = (f: CrmFunction) =>
      sendsSms(f.sendsEmail(props.emailFrom, emailIdentityArn, emailConfiguration));

    const functions: Record<Exclude<FunctionGroup, 'sms-inbound-aliyun'>, CrmFunction> &
      Partial<Record<FunctionGroup, CrmFunction>> = {
      customers: withTable('Customers', 'functions/http/customers.ts', 'the customer routes'),
      products: withTable('Products', 'functions/http/products.ts', 'the product routes'),
      purchases: withTable('Purchases', 'functions/http/purchases.ts', 'the purchase routes'),
      pipeline: withTable('Pipeline', 'functions/http/pipeline.ts', 'the opportunity and order routes'),
      tasks: withTable('Tasks', 'functions/http/tasks.ts', 'the task routes'),
      automation: withTable('AutomationRules', 'functions/http/automation.ts', 'the automation rule routes'),
      campaigns: withTable('Campaigns', 'functions/http/campaigns.ts', 'the campaign and message routes'),
      unsubscribe: withTable('Unsubscribe', 'functions/http/unsubscribe.ts', 'unsubscribe links'),
      satisfaction: withTable('Satisfaction', 'functions/http/satisfaction.ts', 'satisfaction reports'),
      suppressions: withTable('Suppressions', 'functions/http/suppressions.ts', 'the suppression list'),
      ...(aliyun
        ? {
            'sms-inbound-aliyun': sendsSms(
              withTable('AliyunSmsUp', 'functions/http/sms-inbound-aliyun.ts', 'Alibaba Cloud SMS replies'),
            ).readsAliyunPushSecret(aliyun.secrets.pushSecret),
          }
        : {}),
      docs: fn('Docs', 'functions/http/docs.ts', 'the OpenAPI document'),
      leads: withTable('Leads', 'functions/http/leads.ts', 'the lead and sales settings routes'),
      reports: fn('Reports', 'functions/http/reports.ts', 'the sales reports').useTable(this.table, 'read'),
      imports: withTable('Imports', 'functions/http/imports.ts', 'the import routes'),
    };

    const targets: Record<EventTarget, CrmFunction> = {
      'run-automation': messaging(
        withTable(
          'RunAutomation',
          'functions/events/run-automation.ts',
          'automation rules on domain events',
          'run-automation',
        ),
      ),
      'plan-touchpoints': withTable(
        'PlanTouchpoints',
        'functions/events/plan-touchpoints.ts',
        'touchpoint planning',
        'plan-touchpoints',
      ),
      'forget-customer': withTable(
        'ForgetCustomer',
        'functions/events/forget-customer.ts',
        'forgetting a deleted customer',
        'forget-customer',
      ),
      'ses-feedback': withTable(
        'SesFeedback',
        'functions/events/ses-feedback.ts',
        'SES bounces and complaints',
        'ses-feedback',
      ),
      'count-sales': withTable('CountSales', 'functions/events/count-sales.ts', 'the sales report counters'),
      'record-conversions': withTable(
        'RecordConversions',
        'functions/events/record-conversions.ts',
        'campaign conversions',
        'record-conversions',
      ),
      'count-repeat-purchases': countsRepeatPurchases(
        fn(
          'CountRepeatPurchases',
          'functions/events/count-repeat-purchases.ts',
          'the repeat-purchase report counters',
          'count-repeat-purchases',
        ),
        this.table,
      ),
    };
    const events = new EventBackbone(this, 'Events', {
      table: this.table,
      publisher: fn(
        'PublishChanges',
        'functions/stream/publish-changes.ts',
        'table changes as domain events',
        'publish-changes',
      ),
      tally: withTable(
        'TallyCampaigns',
        'functions/stream/tally-campaigns.ts',
        'campaign counters',
        'tally-campaigns',
      ),
      targets,
    });
    // Re-planning a large campaign continues itself through the bus.
    targets['plan-touchpoints'].publishesTo(events.bus);

    const bulkJobs = withTable(
      'BulkJobs',
      'functions/queue/bulk-jobs.ts',
      'imports and campaign backfills, a checkpointed chunk at a time',
      'bulk-jobs',
    );
    const deliverTouchpoint = messaging(
      withTable(
        'DeliverTouchpoint',
        'functions/scheduled/deliver-touchpoint.ts',
        'touchpoint delivery',
        'deliver-touchpoint',
        // Named, because it schedules its own deferrals: its environment holds its own ARN.
        `${this.stackName}-deliver-touchpoint`,
      ),
    );
    const sendBroadcast = messaging(
      withTable(
        'SendBroadcast',
        'functions/queue/send-broadcast.ts',
        'broadcast delivery, one recipient at a time',
        'send-broadcast',
      ),
    );
    new CampaignDelivery(this, 'Delivery', {
      // Deliveries schedule too: a deferred message is fired again by a one-time schedule.
      schedulers: [
        functions.campaigns,
        // A backfill plans touchpoints, each with its schedule.
        bulkJobs,
        targets['plan-touchpoints'],
        targets['forget-customer'],
        deliverTouchpoint,
        sendBroadcast,
      ],
      deliverTouchpoint,
      runBroadcast: withTable(
        'RunBroadcast',
        'functions/scheduled/run-broadcast.ts',
        'broadcast runs: one task per audience segment',
        'run-broadcast',
        `${this.stackName}-run-broadcast`,
      ),
      pageBroadcast: withTable(
        'PageBroadcast',
        'functions/queue/page-broadcast.ts',
        'broadcast audience paging, one segment at a time',
        'page-broadcast',
      ),
      sendBroadcast,
      closeAbandoned: withTable(
        'CloseAbandonedDeliveries',
        'functions/queue/close-abandoned-deliveries.ts',
        'ends as failed the deliveries the platform gave up on',
        'close-abandoned-deliveries',
      ),
      linkSigners: [deliverTouchpoint, sendBroadcast],
      linkVerifiers: [functions.unsubscribe],
      publicBaseUrl: this.api.apiEndpoint,
    });

    new SalesAutomation(this, 'Sales', {
      sweep: withTable(
        'SweepStaleLeads',
        'functions/scheduled/sweep-stale-leads.ts',
        'the daily stale-lead sweep',
        'sweep-stale-leads',
      ),
      timezone: props.defaultTimezone,
    });

    new Imports(this, 'ImportJobs', {
      api: functions.imports,
      worker: bulkJobs,
      // Activation with a backfill hands what it cannot finish in time to the bulk queue.
      backfillStarters: [functions.campaigns],
      uploadOrigins: [webConsole.origin],
    });

    // End User Messaging two-way replies arrive on SNS; Alibaba Cloud pushes them to an HTTP route instead.
    if (!aliyun)
      new InboundSms(this, 'InboundSms', {
        handler: withTable(
          'InboundSmsReplies',
          'functions/sns/inbound-sms.ts',
          'inbound SMS survey replies',
          'inbound-sms',
        ).sendsSms(props.smsOriginationNumber),
      });

    const integrations = Object.fromEntries(
      Object.entries(functions).map(([group, fn]) => [
        group,
        new HttpLambdaIntegration(`${group}-integration`, fn.function),
      ]),
    ) as Partial<Record<FunctionGroup, HttpLambdaIntegration>>;
    for (const route of allRoutes) {
      // Routes of a provider this deployment does not use (the Alibaba Cloud push) are not created.
      const integration = integrations[route.group];
      if (!integration) continue;
      const added = this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration,
        // Unsubscribe links are opened from a mailbox, without a token; the signed link is the credential.
        ...(route.public ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
      if (route.public) {
        for (const r of added) {
          Validations.of(r).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              'Unsubscribe links must work from a mailbox without signing in (RFC 8058), and Alibaba Cloud pushes SMS replies without a token; the KMS-signed token or the Secrets Manager secret in the path is the credential.',
          });
        }
      }
    }

    webConsole.deploy(this.api.apiEndpoint);

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'ConsoleUrl', { value: webConsole.origin });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
