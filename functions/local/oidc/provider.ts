import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { pickPersonPage, signOutPage } from './pages';
import type { LocalPerson } from './person';

export interface LocalOpenIdProviderOptions {
  /** The API's JWT check expects exactly this issuer (`<api>/local`). */
  issuer: string;
  /** The API's JWT check expects this audience in the access token. */
  audience: string;
  /** The same private key the API's JWT check trusts (functions/local/idp.ts). */
  signingJwk: JWK;
  /** Where the app lives (`<api>/app/`): its redirect and post-sign-out URIs are derived from it. */
  appUrl: string;
  people(): Promise<LocalPerson[]>;
  /** The claims of a known subject (membership recorded), or undefined for a stranger. */
  claimsOf(subject: string): Promise<Record<string, unknown> | undefined>;
}

/** The app is a public client: no secret, PKCE (S256) required — oidc-provider requires it of public clients. */
export const appClientId = 'merit-app';
const apiScope = 'api';
const interactionPath = '/interaction/';
/** Away from `/token`: `POST /local/token` is the old local sign-in route, kept as it is. */
const tokenRoute = '/oauth/token';

const readForm = (request: IncomingMessage): Promise<URLSearchParams> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 16_384) chunks.push(chunk);
    });
    request.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    request.on('error', reject);
  });

const sendHtml = (response: ServerResponse, statusCode: number, html: string) => {
  response.writeHead(statusCode, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy':
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'cache-control': 'no-store',
  });
  response.end(html);
};

/**
 * The local stand-in for the district's IdP as a real OpenID provider (oidc-provider, certified): discovery,
 * authorization code + PKCE, token, JWKS, end-session. Its access tokens are JWTs for the API's audience, signed
 * with the key the API's JWT check already trusts, so they pass that check unchanged.
 */
export const createLocalOpenIdProvider = (options: LocalOpenIdProviderOptions) => {
  const mountPath = new URL(options.issuer).pathname.replace(/\/$/, '');
  const resource = new URL('/', options.issuer).href;
  const configuration: Configuration = {
    clients: [
      {
        client_id: appClientId,
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        redirect_uris: [new URL('callback', options.appUrl).href],
        post_logout_redirect_uris: [options.appUrl],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [options.signingJwk as NonNullable<Configuration['jwks']>['keys'][number]] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: { token: tokenRoute },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'merit_role', 'merit_learner_ids'] },
    // The app reads who is signed in from the ID token; no userinfo round trip.
    conformIdTokenClaims: false,
    scopes: ['openid', 'email', 'profile'],
    ttl: { AccessToken: 3600, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600, AuthorizationCode: 60 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = signOutPage(form);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: apiScope,
          audience: options.audience,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    // A first-party app: the district's own IdP does not ask for consent to Merit, so neither does this one.
    async loadExistingGrant(ctx) {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      grant.addResourceScope(resource, apiScope);
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    // Browsers send Origin on the app's (same-origin) token request: only the app's own origin is let through.
    clientBasedCORS: (_ctx, origin) => origin === new URL(options.appUrl).origin,
    interactions: { url: (_ctx, interaction) => `${mountPath}${interactionPath}${interaction.uid}` },
    async findAccount(_ctx, subject) {
      const claims = await options.claimsOf(subject);
      return claims ? { accountId: subject, claims: async () => ({ sub: subject, ...claims }) } : undefined;
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = signOutPage(
        `<p>${String(out['error_description'] ?? out['error'] ?? 'Sign-in failed.').replace(/[<>&"]/g, '')}</p>`,
        'Sign-in failed',
      );
    },
  };
  const provider = new Provider(options.issuer, configuration);
  const callback = provider.callback();

  const interaction = async (request: IncomingMessage, response: ServerResponse) => {
    const details = await provider.interactionDetails(request, response);
    const finish = (subject: string) =>
      provider.interactionFinished(request, response, { login: { accountId: subject } }, { mergeWithLastSubmission: false });
    if (request.method === 'POST') {
      const subject = (await readForm(request)).get('subject') ?? '';
      if (await options.claimsOf(subject)) return finish(subject);
    } else {
      const hint = typeof details.params['login_hint'] === 'string' ? details.params['login_hint'] : undefined;
      if (hint && (await options.claimsOf(hint))) return finish(hint);
    }
    sendHtml(response, 200, pickPersonPage({ action: `${mountPath}${interactionPath}${details.uid}`, people: await options.people() }));
  };

  return {
    provider,
    /** Whether this request is the provider's (under the issuer's path, and not one of the other `/local/*` routes). */
    handles: (path: string) => path === mountPath || path.startsWith(`${mountPath}/`),
    async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const path = url.pathname.slice(mountPath.length) || '/';
      if (path.startsWith(interactionPath)) return interaction(request, response);
      // Mounted as express mounts it: the provider sees paths below its issuer's, and finds the mount in `originalUrl`.
      (request as IncomingMessage & { originalUrl?: string }).originalUrl = request.url;
      request.url = `${path}${url.search}`;
      await callback(request, response);
    },
  };
};

export type LocalOpenIdProvider = ReturnType<typeof createLocalOpenIdProvider>;
