/**
 * The console's Content-Security-Policy, one definition for CloudFront's response headers policy and
 * the local runtime. No inline script and no eval; `connect-src` names the API and, in AWS, the
 * Cognito domain that exchanges the sign-in code for tokens.
 */
export const consoleCsp = (connectSrc: string[] = []) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${connectSrc.map((s) => ` ${s}`).join('')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
