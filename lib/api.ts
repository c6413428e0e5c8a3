import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type RouteDefinition, routeAuthorizer, routeKey, routes } from '#http/routes';

export interface ApiProps {
  /** Serves the routes whose `access` is `public` (no token). */
  publicFunction: lambda.IFunction;
  /** Serves every other route, behind the JWT authorizer. */
  apiFunction: lambda.IFunction;
  /** The district's OIDC issuer URL. */
  oidcIssuer: string;
  /** Audience(s) the tokens must carry. */
  oidcAudience: string[];
  /** Throttling of each staff and learner route (the stage's default route settings). */
  throttle: { rateLimit: number; burstLimit: number };
  /** Throttling of each public route (per-route settings of the stage): verifiers have no account, so a flood is cut here. */
  publicThrottle: { rateLimit: number; burstLimit: number };
  logRetention: logs.RetentionDays;
}

/**
 * Access log line: request id, route template, status, latencies, sizes. Deliberately no caller IP, no path (it
 * holds ids), no query string, no user agent and no token claims: logs carry no PII (DESIGN §5.6).
 */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    responseLength: '$context.responseLength',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

/**
 * The HTTP API (DESIGN §3). Routes are generated from the one route table, `functions/http/routes.ts`, so the
 * deployed API, the local server and the OpenAPI document cannot disagree: `access: 'public'` routes go to the
 * `public` function with no authorizer; every other route goes to the `api` function behind a JWT authorizer
 * that trusts the district's OIDC identity provider (roles then come from Merit's own membership records).
 *
 * CORS is off: browsers only load Merit's own pages (same origin); enable it deliberately if a district needs it.
 */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** The API's URL without a trailing slash, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Merit: Open Badges 3.0 credentials (staff, learners and public verification)',
      createDefaultStage: false,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: accessLogFormat,
      },
    });
    this.url = this.stage.url.replace(/\/$/, '');

    const authorizer = new HttpJwtAuthorizer('DistrictIdp', props.oidcIssuer, {
      authorizerName: 'district-idp',
      jwtAudience: props.oidcAudience,
      identitySource: ['$request.header.Authorization'],
    });
    const publicIntegration = new HttpLambdaIntegration('PublicIntegration', props.publicFunction);
    const apiIntegration = new HttpLambdaIntegration('ApiIntegration', props.apiFunction);
    const publicRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

    for (const route of routes) {
      const isPublic = routeAuthorizer(route) === 'none';
      const expected = isPublic ? 'public' : 'api';
      if (route.lambda !== expected) {
        // A public route served by the staff bundle (or the reverse) would be a security mistake; refuse it.
        throw new Error(
          `Route ${routeKey(route)} has access "${String(route.access)}" but lambda "${route.lambda}"; public routes must use the public function and all others the api function.`,
        );
      }
      const httpRoute = new apigw.HttpRoute(this, `Route-${route.operationId}`, {
        httpApi: this.httpApi,
        routeKey: apigw.HttpRouteKey.with(route.path, httpMethod(route)),
        integration: isPublic ? publicIntegration : apiIntegration,
        ...(isPublic ? {} : { authorizer }),
      });
      if (isPublic) {
        publicRouteSettings[routeKey(route)] = {
          ThrottlingRateLimit: props.publicThrottle.rateLimit,
          ThrottlingBurstLimit: props.publicThrottle.burstLimit,
        };
        // A stage may name only routes that exist: CloudFormation creates them first.
        this.stage.node.addDependency(httpRoute);
        // These routes are public by contract (DESIGN §3: health, OpenAPI, issuer profiles and DID documents,
        // criteria pages, status lists, verification, shared credentials): verifiers have no account.
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by design (DESIGN §3): third-party verifiers call it without an account. It returns no learner data except a credential its holder chose to share.`,
        });
      }
    }
    // Public routes get their own throttle; every other route keeps the stage's default (HTTP API route settings).
    (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = publicRouteSettings;
  }
}

const httpMethod = (route: RouteDefinition): apigw.HttpMethod => {
  const method = apigw.HttpMethod[route.method];
  if (!method) throw new Error(`Route ${routeKey(route)}: unsupported method ${route.method}`);
  return method;
};
