import { CfnOutput, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The two secrets of the Alibaba Cloud SMS provider: the RAM user's AccessKey (filled in by the
 * operator after deploying) and the secret in the SmsUp push URL (generated here).
 */
export class AliyunSmsSecrets extends Construct {
  readonly credentials: Secret;
  readonly pushSecret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.credentials = new Secret(this, 'Credentials', {
      description:
        'Alibaba Cloud AccessKey of a RAM user allowed only dysms:SendSms: {"accessKeyId","accessKeySecret"}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ accessKeyId: 'set-me' }),
        generateStringKey: 'accessKeySecret',
      },
    });
    this.pushSecret = new Secret(this, 'PushSecret', {
      description:
        'The {secret} path segment of POST /sms/inbound/aliyun/{secret} (Alibaba Cloud SmsUp push)',
      generateSecretString: { excludePunctuation: true, passwordLength: 40 },
    });
    Validations.of(this.credentials).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An Alibaba Cloud AccessKey is rotated in the Alibaba Cloud RAM console, then written here; no AWS rotation Lambda can create one.',
    });
    Validations.of(this.pushSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The push secret is pasted into the Alibaba Cloud console by hand; rotating it automatically would break the push until someone pastes it again.',
    });
    new CfnOutput(this, 'CredentialsSecretArn', {
      value: this.credentials.secretArn,
      description: 'Put the RAM user AccessKey here: {"accessKeyId":"…","accessKeySecret":"…"}',
    });
    new CfnOutput(this, 'PushSecretArn', {
      value: this.pushSecret.secretArn,
      description: 'Its value is the last segment of the SmsUp push URL: <ApiUrl>/sms/inbound/aliyun/<value>',
    });
  }
}
