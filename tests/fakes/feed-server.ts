// A feed server on loopback for tests and benches: serves given paths with given status, headers
// and bodies, answers conditional GETs, records every request, and closes cleanly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Milliseconds since the server started, for ordering and concurrency checks. */
  at: number;
}

export interface FeedRoute {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** When set, a request with a matching If-None-Match gets 304 and the ETag is sent with 200s. */
  etag?: string;
  /** When set, a request with this exact If-Modified-Since gets 304; sent with 200s. */
  lastModified?: string;
  /** Compress the body with this Content-Encoding. */
  encoding?: 'gzip' | 'deflate' | 'br';
  /** Wait this long before answering. */
  delayMs?: number;
  /** Full control: write the response yourself (streaming, stalling, redirects with logic). */
  handle?: (request: http.IncomingMessage, response: http.ServerResponse) => void;
}

export interface FeedServer {
  /** "http://127.0.0.1:PORT" (or "http://[::1]:PORT"), without a trailing slash. */
  origin: string;
  port: number;
  host: string;
  requests: RecordedRequest[];
  /** The absolute URL of a path on this server. */
  url(path: string): string;
  /** Adds or replaces a route. */
  route(path: string, route: FeedRoute): void;
  /** Requests in flight right now, and the most there ever were at once. */
  inFlight(): number;
  maxInFlight(): number;
  close(): Promise<void>;
}

export interface FeedServerOptions {
  /** A loopback address: '127.0.0.1' (default), '::1' or another 127.x address. */
  host?: string;
}

function compress(body: Uint8Array, encoding: FeedRoute['encoding']): Uint8Array {
  if (encoding === 'gzip') return zlib.gzipSync(body);
  if (encoding === 'deflate') return zlib.deflateSync(body);
  if (encoding === 'br') return zlib.brotliCompressSync(body);
  return body;
}

function isLoopback(host: string): boolean {
  return host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startFeedServer(routes: Record<string, FeedRoute> = {}, options: FeedServerOptions = {}): Promise<FeedServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`the feed server only listens on loopback, not ${host}`);
  const table = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const started = Date.now();
  let current = 0;
  let most = 0;

  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers, at: Date.now() - started });
    current += 1;
    most = Math.max(most, current);
    response.on('close', () => {
      current -= 1;
    });
    const route = table.get(path) ?? table.get(path.split('?')[0] ?? path);
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const answer = (): void => {
      if (route.handle) return route.handle(request, response);
      const validatorHeaders: Record<string, string> = {};
      if (route.etag) validatorHeaders.etag = route.etag;
      if (route.lastModified) validatorHeaders['last-modified'] = route.lastModified;
      const etagMatches = route.etag !== undefined && request.headers['if-none-match'] === route.etag;
      const dateMatches = route.lastModified !== undefined && request.headers['if-modified-since'] === route.lastModified;
      if (etagMatches || dateMatches) {
        response.writeHead(304, validatorHeaders).end();
        return;
      }
      const raw = typeof route.body === 'string' ? Buffer.from(route.body) : (route.body ?? new Uint8Array());
      const body = compress(raw, route.encoding);
      const headers: Record<string, string> = { 'content-type': 'application/rss+xml; charset=utf-8', ...validatorHeaders, ...route.headers };
      if (route.encoding) headers['content-encoding'] = route.encoding;
      headers['content-length'] = String(body.length);
      response.writeHead(route.status ?? 200, headers).end(body);
    };
    if (route.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;

  return {
    origin,
    port,
    host,
    requests,
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    route: (path, route) => {
      table.set(path, route);
    },
    inFlight: () => current,
    maxInFlight: () => most,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A well-formed RSS 2.0 document with the given items, for routes. */
export function rssDocument(title: string, items: { title: string; link?: string; guid?: string; description?: string; pubDate?: string }[]): string {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const entries = items
    .map((item) => {
      const parts = [`<title>${escape(item.title)}</title>`];
      if (item.link) parts.push(`<link>${escape(item.link)}</link>`);
      if (item.guid) parts.push(`<guid isPermaLink="false">${escape(item.guid)}</guid>`);
      if (item.description) parts.push(`<description>${escape(item.description)}</description>`);
      if (item.pubDate) parts.push(`<pubDate>${escape(item.pubDate)}</pubDate>`);
      return `<item>${parts.join('')}</item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${escape(title)}</title>\n${entries}\n</channel></rss>\n`;
}
