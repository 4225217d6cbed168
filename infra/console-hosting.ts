import { type CfnElement, DockerImage, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  CfnManagedLoginBranding,
  ManagedLoginVersion,
  OAuthScope,
  type UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildConsoleSync } from '../console/build.ts';
import { consoleCsp } from '../console/csp.ts';
import { consoleRoot } from '../console/paths.ts';

export interface ConsoleHostingProps {
  userPool: UserPool;
  /** The managed login domain prefix (globally unique per Region). */
  domainPrefix: string;
}

/**
 * The web console in AWS: a private S3 bucket read by CloudFront through origin access control,
 * security headers with a CSP, SPA fallbacks, and Cognito managed login (authorization code + PKCE)
 * for a public app client. Create it before the HTTP API (the API's CORS and authorizer need its
 * origin and client), then call `deploy` with the API's URL.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;
  /** https://<distribution domain>, for the API's CORS. */
  readonly origin: string;
  readonly loginDomain: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the console bucket and distribution; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
    });

    this.loginDomain = `${props.domainPrefix}.auth.${stack.region}.amazoncognito.com`;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'CRM console security headers',
      securityHeadersBehavior: {
        // The API's host is not known here without a dependency cycle (the API's CORS names this
        // distribution), so connect-src allows this Region's execute-api hosts; scripts stay 'self'.
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleCsp([
            `https://*.execute-api.${stack.region}.amazonaws.com`,
            `https://${this.loginDomain}`,
            // Imports PUT the CSV straight to the upload bucket through a presigned URL.
            `https://*.s3.${stack.region}.amazonaws.com`,
          ]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'CRM console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      // The console routes after the #, but a deep link or a stale path still lands on the app.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Staff sign in from wherever they work; Cognito (MFA required, threat protection) guards access, not geography.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves only static files; the data sits behind the HTTP API, which is throttled and needs a Cognito token. Attach a web ACL per deployment if required.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate fixes the viewer TLS policy; a custom domain with an ACM certificate would set TLSv1.2_2021.',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    props.userPool.addDomain('ConsoleLogin', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.client = props.userPool.addClient('ConsoleClient', {
      // A browser cannot keep a secret: a public client with the authorization-code flow and PKCE.
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.origin}/`],
        logoutUrls: [`${this.origin}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    new CfnManagedLoginBranding(this, 'LoginBranding', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  /** Uploads the console, built at synth, and its config.json naming the API and the sign-in. */
  deploy(apiUrl: string): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [
        Source.asset(consoleRoot, {
          exclude: ['dist', 'node_modules'],
          bundling: {
            // esbuild runs on this machine; the image is only CDK's fallback and is never pulled here.
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
            local: {
              tryBundle(outputDir) {
                buildConsoleSync(outputDir);
                return true;
              },
            },
          },
        }),
        Source.jsonData('config.json', {
          apiUrl,
          mode: 'cognito',
          cognito: { domain: this.loginDomain, clientId: this.client.userPoolClientId },
        }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      // Old hashed chunks stay, so a tab opened before a deploy can still lazy-load its pages.
      prune: false,
      memoryLimit: 512,
    });
    // CDK's own upload function (one per stack), not code of ours: its grants are CDK's.
    const stack = Stack.of(this);
    const handler = deployment.handlerRole.node.scope as Construct;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const siteBucket = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
    const wildcards = [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      'Resource::*',
      `Resource::<${siteBucket}.Arn>/*`,
      // The CDK assets bucket, spelled as cdk-nag resolves it with and without a concrete env.
      ...['aws', '<AWS::Partition>'].flatMap((partition) =>
        [
          ...new Set([
            '<AWS::AccountId>',
            Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
          ]),
        ].map((account) => `Resource::arn:${partition}:s3:::cdk-hnb659fds-assets-${account}-${region}/*`),
      ),
    ];
    for (const finding of wildcards) {
      Validations.of(handler).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          'CDK’s BucketDeployment handler reads the staged asset objects, writes this console bucket’s objects (hashed names per build) and invalidates its distribution (CreateInvalidation has no resource-level permissions).',
      });
    }
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK’s BucketDeployment handler logs with the AWS managed basic execution policy.',
    });
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The runtime of CDK’s BucketDeployment handler is chosen by aws-cdk-lib and moves with it.',
    });
    return deployment;
  }
}
