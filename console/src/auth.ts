import type { ConsoleConfig } from './config.ts';

export const roles = ['admin', 'marketer', 'sales', 'service', 'manager'] as const;
export type Role = (typeof roles)[number];

export interface Session {
  token: string;
  sub: string;
  roles: Role[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

const SESSION_KEY = 'crm.session';
const PKCE_KEY = 'crm.pkce';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const decodePayload = (jwt: string): Record<string, unknown> => {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
};

/** Reads who the token says we are; the API checks the signature, the console only needs the claims. */
export const sessionFromToken = (token: string): Session => {
  const claims = decodePayload(token);
  const groups = (claims['cognito:groups'] as string[] | undefined) ?? [];
  return {
    token,
    sub: String(claims.sub ?? ''),
    roles: groups.filter((g): g is Role => (roles as readonly string[]).includes(g)),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3_600_000,
  };
};

export const storedSession = (): Session | undefined => {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  const session = JSON.parse(raw) as Session;
  return session.expiresAt > Date.now() ? session : undefined;
};

const keep = (session: Session) => {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
};

/** Local runtime only: the same token endpoint the tests and curl use. */
export const signInLocally = async (config: ConsoleConfig, role: Role): Promise<Session> => {
  const response = await fetch(`${config.apiUrl}/_local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  const { token } = (await response.json()) as { token: string };
  return keep(sessionFromToken(token));
};

const redirectUri = () => `${location.origin}/`;

/** Cognito managed login, authorization-code flow with PKCE (no client secret in a browser). */
export const startCognitoSignIn = async (config: ConsoleConfig): Promise<void> => {
  const cognito = config.cognito;
  if (!cognito) throw new Error('config.json has no cognito settings');
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: base64url(digest),
    state,
  });
  location.assign(`https://${cognito.domain}/oauth2/authorize?${query}`);
};

/** Finishes the code flow when Cognito redirects back with ?code=&state=; undefined when it did not. */
export const completeCognitoSignIn = async (config: ConsoleConfig): Promise<Session | undefined> => {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const cognito = config.cognito;
  if (!code || !cognito) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as {
    verifier?: string;
    state?: string;
  };
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (!pending.verifier || pending.state !== params.get('state')) throw new Error('sign-in state mismatch');
  const response = await fetch(`https://${cognito.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cognito.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`token exchange failed: ${response.status}`);
  // The access token carries cognito:groups and client_id, which the HTTP API's JWT authorizer checks.
  const { access_token } = (await response.json()) as { access_token: string };
  return keep(sessionFromToken(access_token));
};

/** Drops an expired or rejected token; the sign-in page shows next. */
export const forgetSession = () => sessionStorage.removeItem(SESSION_KEY);

export const signOut = (config: ConsoleConfig) => {
  forgetSession();
  if (config.mode === 'cognito' && config.cognito) {
    const query = new URLSearchParams({ client_id: config.cognito.clientId, logout_uri: redirectUri() });
    location.assign(`https://${config.cognito.domain}/logout?${query}`);
  }
};
