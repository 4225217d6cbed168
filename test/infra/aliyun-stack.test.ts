import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CrmStack } from '../../infra/crm-stack.ts';
import { functionBundle } from '../support/cdk-assets.ts';

describe('CrmStack with smsProvider aliyun (mainland China)', () => {
  let app: App;
  let china: CrmStack;
  let t: Template;
  beforeAll(() => {
    app = new App();
    china = new CrmStack(app, 'China', {
      defaultTimezone: 'Asia/Shanghai',
      emailFrom: 'crm@example.com',
      emailIdentity: 'example.com',
      smsOriginationNumber: '+12065550100',
      smsProvider: 'aliyun',
      aliyunSms: { signName: '乒乓之家', templateTransactional: 'SMS_1001', templatePromotional: 'SMS_1002' },
      env: { account: '123456789012', region: 'ap-east-1' },
    });
    t = Template.fromStack(china);
    // Synthesis bundles every function with esbuild; on a shared machine that takes minutes.
  }, 300_000);

  it('adds the public push route and drops the SNS inbound topic', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /sms/inbound/aliyun/{secret}',
      AuthorizationType: 'NONE',
    });
    // No inbound SMS topic: only the dead-letter alarm topic remains.
    expect(Object.keys(t.findResources('AWS::SNS::Topic'))).toEqual([
      expect.stringMatching(/^DeadLetterAlarmsTopic/),
    ]);
  });

  it('bundles the Alibaba Cloud SMS SDK into the functions that send SMS', () => {
    const bundle = functionBundle(app, t, 'DeliverTouchpoint');
    expect(bundle.includes('TemplateCode')).toBe(true); // a request field only the SDK's SendSms names
    expect(bundle.includes('import("@alicloud/')).toBe(false);
  });

  it('lets only the SMS senders read the AccessKey, and only the push function read the push secret', () => {
    // The two Alibaba Cloud secrets, beside the cursor-signing key every deployment has.
    const secrets = Object.fromEntries(
      Object.entries(t.findResources('AWS::SecretsManager::Secret')).filter(
        ([id]) => !id.startsWith('CursorKey'),
      ),
    );
    expect(Object.keys(secrets)).toHaveLength(2);
    const readers = (fragment: string) =>
      Object.entries(t.findResources('AWS::IAM::Policy'))
        .filter(
          ([, policy]) =>
            JSON.stringify(policy).includes('secretsmanager:GetSecretValue') &&
            JSON.stringify(policy).includes(fragment),
        )
        .map(([id]) => id.replace(/Role.*$/, ''))
        .sort();
    const [credentials, push] = ['Credentials', 'PushSecret'].map((name) =>
      Object.keys(secrets).find((id) => id.includes(name)),
    );
    expect(readers(String(push))).toEqual([expect.stringContaining('AliyunSmsUp')]);
    expect(readers(String(credentials))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('DeliverTouchpoint'),
        expect.stringContaining('SendBroadcast'),
        expect.stringContaining('AliyunSmsUp'),
      ]),
    );
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SMS_PROVIDER: 'aliyun',
          ALIYUN_SMS_SIGN_NAME: '乒乓之家',
          ALIYUN_PUSH_SECRET_ARN: Match.anyValue(),
        }),
      },
    });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks().validateScope(china);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`),
    );
    expect(findings).toEqual([]);
  });
});
