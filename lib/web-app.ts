import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface WebAppProps {
  httpApi: apigw.HttpApi;
  accessLogsBucket: s3.IBucket;
  oidcIssuer: string;
  /** The app's public client id at the district's IdP. */
  clientId: string;
  /** The drop bucket's origin: the CSV upload's pre-signed PUT goes there (DESIGN §10). */
  dropsBucket: s3.IBucket;
}

/** The app's CSP (as functions/local/web-app.ts sends it locally): own origin only, nothing inline, no framing. */
const contentSecurityPolicy = (dropOrigin: string) =>
  `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${dropOrigin}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/**
 * The web app on the deployment's own origin (README "Why CloudFront"): one distribution in front of the HTTP API
 * (default behaviour, nothing cached) and of the app's files in a private, encrypted bucket read through Origin Access
 * Control (`/app/*`). Paths under `/app/` that are not a built file are the app's page, routed in the browser.
 * The files are uploaded after `cdk deploy` (README): CDK's BucketDeployment helper needs wildcard S3 actions that
 * the cdk-nag gate (rightly) does not let us acknowledge.
 */
export class WebApp extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'AssetsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'web-app/',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const dropOrigin = `https://${props.dropsBucket.bucketRegionalDomainName}`;
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'AppHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(dropOrigin), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    // `/app/verify` and the like are the app's one page; hashed files (main-ABCD1234.js) and config.json are themselves.
    const pageRewrite = new cloudfront.Function(this, 'AppPages', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (!/^\\/app\\/([\\w-]+-[A-Z0-9]{8}\\.(js|css)|config\\.json)$/.test(r.uri)) { r.uri = '/app/index.html'; } return r; }",
      ),
    });
    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Merit: the web app and the API on one origin',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: props.accessLogsBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: new origins.HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      additionalBehaviors: {
        '/app/*': {
          origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          // Honours each object's Cache-Control (immutable bundles, no-cache page) as set at upload.
          cachePolicy: cloudfront.CachePolicy.USE_ORIGIN_CACHE_CONTROL_HEADERS,
          responseHeadersPolicy: headers,
          functionAssociations: [{ function: pageRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    for (const finding of [
      { id: 'AwsSolutions-CFR1', reason: 'A district serves its own families wherever they are; no geographic restriction applies.' },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The API behind it has API Gateway throttling per route (lib/api.ts); a WAF web ACL is a district choice (README), not a default.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default CloudFront domain certificate is used until a district adds its own domain; the viewer policy is TLSv1.2_2021.',
      },
    ]) {
      Validations.of(this.distribution).acknowledge(finding);
    }
  }
}
