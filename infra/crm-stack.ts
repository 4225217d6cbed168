import { join } from 'node:path';
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, type HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
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
import type { FunctionGroup } from '../shared/http/route-spec.ts';
import { allRoutes } from '../shared/http/routes.ts';
import { tableDefinition } from '../shared/table/definition.ts';
import { CrmFunction } from './constructs/crm-function.ts';
import { EventBackbone } from './event-backbone.ts';

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
}

const root = join(import.meta.dirname, '..');

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

    const settings = {
      DEFAULT_TIMEZONE: props.defaultTimezone,
      ...(props.defaultPhoneCountry ? { DEFAULT_PHONE_COUNTRY: props.defaultPhoneCountry } : {}),
    };
    const fn = (id: string, entry: string, description: string) =>
      new CrmFunction(this, id, { entry: join(root, entry), description, environment: settings });
    const functions: Record<FunctionGroup, CrmFunction> = {
      customers: fn('Customers', 'functions/http/customers.ts', 'the customer routes').useTable(
        this.table,
        'readWrite',
      ),
      products: fn('Products', 'functions/http/products.ts', 'the product routes').useTable(
        this.table,
        'readWrite',
      ),
      purchases: fn('Purchases', 'functions/http/purchases.ts', 'the purchase routes').useTable(
        this.table,
        'readWrite',
      ),
      pipeline: fn('Pipeline', 'functions/http/pipeline.ts', 'the opportunity and order routes').useTable(
        this.table,
        'readWrite',
      ),
      tasks: fn('Tasks', 'functions/http/tasks.ts', 'the task routes').useTable(this.table, 'readWrite'),
      automation: fn(
        'AutomationRules',
        'functions/http/automation.ts',
        'the automation rule routes',
      ).useTable(this.table, 'readWrite'),
      docs: fn('Docs', 'functions/http/docs.ts', 'the OpenAPI document'),
    };

    const runAutomation = fn(
      'RunAutomation',
      'functions/events/run-automation.ts',
      'automation rules on domain events',
    )
      .useTable(this.table, 'readWrite')
      .sendsEmail(
        props.emailFrom,
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.emailIdentity }),
      )
      .sendsSms(props.smsOriginationNumber);
    new EventBackbone(this, 'Events', {
      table: this.table,
      publisher: fn(
        'PublishChanges',
        'functions/stream/publish-changes.ts',
        'table changes as domain events',
      ),
      targets: { 'run-automation': runAutomation },
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

    const integrations = Object.fromEntries(
      Object.entries(functions).map(([group, fn]) => [
        group,
        new HttpLambdaIntegration(`${group}-integration`, fn.function),
      ]),
    ) as Record<FunctionGroup, HttpLambdaIntegration>;
    for (const route of allRoutes) {
      this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration: integrations[route.group],
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}
