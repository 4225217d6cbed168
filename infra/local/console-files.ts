import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { consoleCsp } from '../../console/csp.ts';
import type { HttpResponse } from '../../shared/http/request.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** The same headers CloudFront adds in AWS, so a CSP mistake shows up locally and in the browser tests. */
const securityHeaders = {
  'content-security-policy': consoleCsp(),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/**
 * Serves the built console (index.html, assets/) and a config.json for local mode at `/`. The API's
 * routes live on other paths, and the console's own pages are hash routes, so nothing overlaps.
 */
export const consoleFiles =
  (dist: string) =>
  (method: string, pathname: string): HttpResponse | undefined => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    if (pathname === '/config.json') {
      return {
        statusCode: 200,
        headers: {
          'content-type': types['.json'] as string,
          'cache-control': 'no-store',
          ...securityHeaders,
        },
        body: JSON.stringify({ apiUrl: '', mode: 'local' }),
      };
    }
    const file =
      pathname === '/' || pathname === '/index.html'
        ? 'index.html'
        : pathname.startsWith('/assets/')
          ? normalize(pathname.slice(1))
          : undefined;
    if (!file || file.startsWith('..')) return undefined;
    const path = join(dist, file);
    if (!existsSync(path)) {
      return file === 'index.html'
        ? {
            statusCode: 503,
            headers: { 'content-type': 'text/plain' },
            body: 'The console is not built: npm run build:console',
          }
        : undefined;
    }
    return {
      statusCode: 200,
      headers: {
        'content-type': types[extname(path)] ?? 'application/octet-stream',
        // Asset names carry a content hash; index.html must be re-read to pick up a new build.
        'cache-control': file === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
        ...securityHeaders,
      },
      body: readFileSync(path, 'utf8'),
    };
  };
