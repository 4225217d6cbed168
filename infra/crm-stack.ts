import { join } from 'node:path';
import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
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
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { roles } from '../shared/domain/principal.ts';
import type { EventTarget } from '../shared/events/routes.ts';
import type { FunctionGroup } from '../shared/http/route-spec.ts';
import { allRoutes } from '../shared/http/routes/index.ts';
import { tableDefinition } from '../shared/table/definition.ts';
import { AliyunSmsSecrets } from './aliyun-sms.ts';
import { CampaignDelivery } from './campaign-delivery.ts';
import { CrmFunction } from './constructs/crm-function.ts';
import { EventBackbone } from './event-backbone.ts';
import { InboundSms } from './inbound-sms.ts';

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

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.api = new HttpApi(this, 'Api', {
      description: 'CRM HTTP API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpUserPoolAuthorizer('Cognito', userPool, { userPoolClients: [client] }),
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
    const fn = (id: string, entry: string, description: string) =>
      new CrmFunction(this, id, { entry: join(root, entry), description, environment: settings });
    const withTable = (id: string, entry: string, description: string) =>
      fn(id, entry, description).useTable(this.table, 'readWrite');
    const emailIdentityArn = this.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.emailIdentity,
    });
    const aliyun =
      props.smsProvider === 'aliyun'
        ? { settings: aliyunSettings(props.aliyunSms), secrets: new AliyunSmsSecrets(this, 'AliyunSms') }
        : undefined;
    // The deployment's SMS provider (issue 12): SNS from the origination number, or Alibaba Cloud.
    const sendsSms = (f: CrmFunction) =>
      aliyun
        ? f.sendsAliyunSms(aliyun.settings, aliyun.secrets.credentials)
        : f.sendsSms(props.smsOriginationNumber);
    const messaging = (f: CrmFunction) => sendsSms(f.sendsEmail(props.emailFrom, emailIdentityArn));

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
    };

    const targets: Record<EventTarget, CrmFunction> = {
      'run-automation': messaging(
        withTable('RunAutomation', 'functions/events/run-automation.ts', 'automation rules on domain events'),
      ),
      'plan-touchpoints': withTable(
        'PlanTouchpoints',
        'functions/events/plan-touchpoints.ts',
        'touchpoint planning',
      ),
      'forget-customer': withTable(
        'ForgetCustomer',
        'functions/events/forget-customer.ts',
        'forgetting a deleted customer',
      ),
      'ses-feedback': withTable(
        'SesFeedback',
        'functions/events/ses-feedback.ts',
        'SES bounces and complaints',
      ),
    };
    new EventBackbone(this, 'Events', {
      table: this.table,
      publisher: fn(
        'PublishChanges',
        'functions/stream/publish-changes.ts',
        'table changes as domain events',
      ),
      targets,
    });

    const deliverTouchpoint = messaging(
      withTable('DeliverTouchpoint', 'functions/scheduled/deliver-touchpoint.ts', 'touchpoint delivery'),
    );
    const sendBroadcast = messaging(
      withTable(
        'SendBroadcast',
        'functions/queue/send-broadcast.ts',
        'broadcast delivery, one recipient at a time',
      ),
    );
    new CampaignDelivery(this, 'Delivery', {
      schedulers: [functions.campaigns, targets['plan-touchpoints'], targets['forget-customer']],
      deliverTouchpoint,
      runBroadcast: withTable(
        'RunBroadcast',
        'functions/scheduled/run-broadcast.ts',
        'broadcast audience paging',
      ),
      sendBroadcast,
      linkSigners: [deliverTouchpoint, sendBroadcast],
      linkVerifiers: [functions.unsubscribe],
      publicBaseUrl: this.api.apiEndpoint,
    });

    // End User Messaging two-way replies arrive on SNS; Alibaba Cloud pushes them to an HTTP route instead.
    if (!aliyun)
      new InboundSms(this, 'InboundSms', {
        handler: withTable(
          'InboundSmsReplies',
          'functions/sns/inbound-sms.ts',
          'inbound SMS survey replies',
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

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
