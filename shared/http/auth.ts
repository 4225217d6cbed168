import { type Principal, type Role, roles } from '../domain/principal.ts';

type Claims = Record<string, unknown>;

/**
 * API Gateway's JWT authorizer flattens array claims to strings such as "[admin sales]", while the
 * local runtime passes real arrays; both spellings (and JSON or comma lists) are read here.
 */
export const groupsOf = (claim: unknown): string[] => {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  const text = claim.trim();
  if (text.startsWith('["')) {
    try {
      return (JSON.parse(text) as unknown[]).map(String);
    } catch {
      return [];
    }
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
};

export const principalFromClaims = (claims: Claims | undefined): Principal | undefined => {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const groups = groupsOf(claims?.['cognito:groups']);
  return {
    sub,
    roles: groups.filter((group): group is Role => (roles as readonly string[]).includes(group)),
  };
};
