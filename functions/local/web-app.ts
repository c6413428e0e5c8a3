import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The app's one policy (DESIGN §10): scripts and styles from this origin only, nothing inline, no framing; the API,
 * the IdP and the drop bucket (for the CSV upload's pre-signed PUT) are the only places it talks to.
 */
export const appContentSecurityPolicy = (connectOrigins: string[]): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${connectOrigins.map((origin) => ` ${origin}`).join('')}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');

export interface WebAppMountOptions {
  /** The built app (web/build.ts). */
  directory: string;
  /** Served as `/app/config.json`: which IdP and client id the app signs in with. */
  config: { issuer: string; clientId: string };
  connectOrigins: string[];
}

/** Serves the app at `/app/`, as the assets bucket does in AWS: hashed files cached for good, the page never. */
export const createWebAppMount = (options: WebAppMountOptions) => {
  const headers = {
    'content-security-policy': appContentSecurityPolicy(options.connectOrigins),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const send = (response: ServerResponse, statusCode: number, body: Buffer | string, extra: Record<string, string>) => {
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
    response.writeHead(statusCode, { ...headers, ...extra, 'content-length': String(payload.length) });
    response.end(payload);
  };
  return {
    handles: (path: string) => path === '/app' || path.startsWith('/app/'),
    async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(response, 405, 'Method not allowed', { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      if (url.pathname === '/app') return send(response, 308, '', { location: `/app/${url.search}` });
      if (url.pathname === '/app/config.json')
        return send(response, 200, JSON.stringify(options.config), { 'content-type': contentTypes['.json']!, 'cache-control': 'no-store' });
      const name = url.pathname.slice('/app/'.length);
      // Only the build's own flat file names: no path traversal, no directory listing.
      if (/^[\w-]+-[A-Z0-9]{8}\.(js|css)$/.test(name) && existsSync(join(options.directory, name))) {
        return send(response, 200, readFileSync(join(options.directory, name)), {
          'content-type': contentTypes[extname(name)]!,
          'cache-control': 'public, max-age=31536000, immutable',
        });
      }
      // Every other path is a page of the app: the same document, routed in the browser.
      send(response, 200, readFileSync(join(options.directory, 'index.html')), {
        'content-type': contentTypes['.html']!,
        'cache-control': 'no-cache',
      });
    },
  };
};
