import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { RouteDefinition } from './routes';

/** The API Gateway v2 event, with the JWT authorizer's claims when the route has one. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims: Record<string, string | number | boolean | string[]>; scopes?: string[] | null } };
  };
};

export type HttpResult = APIGatewayProxyStructuredResultV2;

/** What the middlewares work out for the operation. */
export interface RequestState {
  route: RouteDefinition;
  principal?: Principal;
  /** The parsed JSON body, when the request carried one. */
  json?: unknown;
  /** The raw body bytes (decoded from base64 when API Gateway encoded them). */
  rawBody?: Buffer;
  contentType?: string;
}

export interface OperationContext extends RequestState {
  event: HttpEvent;
  deps: Dependencies;
  params: Record<string, string>;
  query: Record<string, string>;
}

export interface OperationResult {
  statusCode: number;
  /** Objects are sent as JSON; strings and bytes as they are, with the content type given in `headers`. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Operation = (context: OperationContext) => Promise<OperationResult>;

export type Operations = Partial<Record<string, Operation>>;

export type { Context };
