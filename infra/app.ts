import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cdkEnvironment } from '../shared/config.ts';
import { CrmStack } from './crm-stack.ts';

const app = new App();

new CrmStack(app, app.node.tryGetContext('stackName') ?? 'Crm', {
  defaultTimezone: app.node.tryGetContext('defaultTimezone') ?? 'Asia/Shanghai',
  defaultPhoneCountry: app.node.tryGetContext('defaultPhoneCountry'),
  emailFrom: app.node.tryGetContext('emailFrom') ?? 'crm@example.com',
  emailIdentity: app.node.tryGetContext('emailIdentity') ?? 'example.com',
  smsOriginationNumber: app.node.tryGetContext('smsOriginationNumber') ?? '+12065550100',
  env: cdkEnvironment(),
});
// Synthesis fails on any AwsSolutions finding; acknowledge one only with Validations.of(construct).acknowledge({ id, reason }).
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
);
