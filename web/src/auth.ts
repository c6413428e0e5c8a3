import * as oauth from 'oauth4webapi';

/** What the deployment tells the app (`/app/config.json`): its IdP and the app's public client id. */
export interface AppConfig {
  issuer: string;
  clientId: string;
}

export interface Session {
  accessToken: string;
  idToken: string;
  subject: string;
  role?: string;
  learnerIds: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Tokens live in this tab's sessionStorage at most (never localStorage): a reload keeps the session, a new tab or a
 * closed browser does not. When the access token expires the app says so and offers to sign in again.
 */
const sessionKey = 'merit.session';
const pendingKey = 'merit.signin';

export const redirectUri = () => new URL('/app/callback', location.origin).href;
const clientAuth = oauth.None();
// Only the local stack runs on plain http (localhost); any deployed IdP is https.
const insecure = () => ({ [oauth.allowInsecureRequests]: location.protocol === 'http:' });

let configPromise: Promise<AppConfig> | undefined;
export const loadConfig = (): Promise<AppConfig> =>
  (configPromise ??= fetch('/app/config.json').then((response) => {
    if (!response.ok) throw new Error(`config: ${response.status}`);
    return response.json() as Promise<AppConfig>;
  }));

const discover = async (config: AppConfig) => {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure() }));
};

export const currentSession = (): Session | undefined => {
  const kept = sessionStorage.getItem(sessionKey);
  if (!kept) return undefined;
  const session = JSON.parse(kept) as Session;
  return session.expiresAt > Date.now() ? session : undefined;
};

/** A session was here and ran out (as opposed to never having signed in). */
export const sessionExpired = (): boolean => sessionStorage.getItem(sessionKey) !== null && currentSession() === undefined;

export const signIn = async (options: { loginHint?: string; returnTo?: string } = {}) => {
  const config = await loadConfig();
  const as = await discover(config);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, nonce, returnTo: options.returnTo ?? '/app/' }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid email profile api');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  if (options.loginHint) url.searchParams.set('login_hint', options.loginHint);
  location.assign(url.href);
};

/** `/app/callback`: trades the code (with the PKCE verifier) for tokens; answers where to go next. */
export const completeSignIn = async (): Promise<string> => {
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null') as {
    verifier: string;
    state: string;
    nonce: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(pendingKey);
  if (!pending) throw new Error('No sign-in in progress');
  const config = await loadConfig();
  const as = await discover(config);
  const client: oauth.Client = { client_id: config.clientId, id_token_signed_response_alg: 'ES256' };
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri(), pending.verifier, insecure());
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(result)!;
  const session: Session = {
    accessToken: result.access_token,
    idToken: result.id_token!,
    subject: claims.sub,
    ...(typeof claims['merit_role'] === 'string' ? { role: claims['merit_role'] } : {}),
    learnerIds: Array.isArray(claims['merit_learner_ids']) ? (claims['merit_learner_ids'] as string[]) : [],
    expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000,
  };
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
  return pending.returnTo;
};

/** Forgets the tokens here, then ends the IdP's session (which brings the browser back to `/app/`). */
export const signOut = async () => {
  const session = currentSession();
  sessionStorage.removeItem(sessionKey);
  const config = await loadConfig();
  const as = await discover(config);
  if (!as.end_session_endpoint) return location.assign('/app/');
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', new URL('/app/', location.origin).href);
  if (session) url.searchParams.set('id_token_hint', session.idToken);
  location.assign(url.href);
};

/** fetch against the API (same origin) with the session's token; a 401 ends the session. */
export const apiFetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
  const session = currentSession();
  const headers = new Headers(init.headers);
  if (session) headers.set('authorization', `Bearer ${session.accessToken}`);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401 && session) sessionStorage.setItem(sessionKey, JSON.stringify({ ...session, expiresAt: 0 }));
  return response;
};
