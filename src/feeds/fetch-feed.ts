// Fetches feeds politely and defensively with node:http(s): conditional GET, compression, two
// timeouts, a streamed size cap, manual redirects re-checked at every hop, Retry-After, and an
// SSRF guard that checks every resolved address and pins the connection to the checked one.
import { promises as dns } from 'node:dns';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import type { Feed } from '../core/model.js';
import type { FeedSource, FetchResult, Validators } from '../core/ports.js';
import { createAddressAllowlist, isIpAddress, refusalReason, type AddressAllowlist } from './address-policy.js';
import { decodeBody } from './decode-body.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface HttpFeedSourceOptions {
  /** Sent with every request; include a contact address: "storywatch/0.1 (+mailto:news@example.org)". */
  userAgent: string;
  /** IPs, CIDR ranges and host names that may be private/loopback (e.g. ['127.0.0.1'] for the demo). */
  allowPrivateHosts: string[];
  /** Also read `file:` URLs and plain paths (the offline demo). Off by default. */
  allowFiles?: boolean;
  /** Limit for the DNS lookup, and then for connect + TLS + response headers. Default 10 s each. */
  connectTimeoutMs?: number;
  /** From the response headers until the last byte of the body. Default 30 s. */
  bodyTimeoutMs?: number;
  /** Largest body accepted, counted after decompression. Default 5 MB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Resolves a host name to its addresses; defaults to the system resolver. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** For Retry-After dates. Defaults to Date.now. */
  now?: () => number;
}

export const FETCH_DEFAULTS = {
  connectTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
} as const;

/** "storywatch/0.1 (+mailto:news@example.org)": publishers can tell who polls them and how to reach us. */
export function feedUserAgent(version: string, contact: string): string {
  const reach = contact.includes('@') && !contact.includes(':') ? `mailto:${contact}` : contact;
  return `storywatch/${version} (+${reach})`;
}

const ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type HopResult =
  | FetchResult
  | { status: 'redirect'; location: string };

class FetchFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

function defaultResolve(hostname: string): Promise<ResolvedAddress[]> {
  return dns.lookup(hostname, { all: true, verbatim: true });
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FetchFailure(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB` : `${bytes} bytes`;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function validatorsFrom(response: http.IncomingMessage, previous: Validators): Validators {
  const validators: Validators = {};
  const etag = header(response.headers.etag) ?? previous.etag;
  const lastModified = header(response.headers['last-modified']) ?? previous.lastModified;
  if (etag) validators.etag = etag;
  if (lastModified) validators.lastModified = lastModified;
  return validators;
}

function decompressorFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null | 'unsupported' {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === '' || name === 'identity') return null;
  if (name === 'gzip' || name === 'x-gzip') return zlib.createGunzip();
  if (name === 'deflate') return zlib.createInflate();
  if (name === 'br') return zlib.createBrotliDecompress();
  return 'unsupported';
}

export function createHttpFeedSource(options: HttpFeedSourceOptions): FeedSource {
  const settings = {
    connectTimeoutMs: options.connectTimeoutMs ?? FETCH_DEFAULTS.connectTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? FETCH_DEFAULTS.bodyTimeoutMs,
    maxBytes: options.maxBytes ?? FETCH_DEFAULTS.maxBytes,
    maxRedirects: options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects,
  };
  const allowlist: AddressAllowlist = createAddressAllowlist(options.allowPrivateHosts);
  const resolve = options.resolve ?? defaultResolve;
  const now = options.now ?? Date.now;
  // Keep-alive is lighter on publishers; idle pooled sockets do not keep the process alive.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: 60_000 }),
    'https:': new https.Agent({ keepAlive: true, timeout: 60_000 }),
  };

  /** Resolves the host and checks every address; returns the one to connect to. */
  async function checkedAddress(url: URL): Promise<ResolvedAddress> {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIpAddress(hostname)
      ? [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }]
      : await withDeadline(resolve(hostname), settings.connectTimeoutMs, `DNS lookup for ${hostname} timed out`).catch(
          (error: unknown) => {
            if (error instanceof FetchFailure) throw error;
            throw new FetchFailure(`DNS lookup for ${hostname} failed: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
          },
        );
    if (addresses.length === 0) throw new FetchFailure(`DNS lookup for ${hostname} found no address`);
    // A host with one private address among public ones is refused: any of them could be used.
    for (const candidate of addresses) {
      const refusal = refusalReason(hostname, candidate.address, allowlist);
      if (refusal) throw new FetchFailure(refusal);
    }
    return addresses[0] as ResolvedAddress;
  }

  function requestOnce(url: URL, target: ResolvedAddress, validators: Validators): Promise<HopResult> {
    return new Promise<HopResult>((resolvePromise) => {
      let settled = false;
      const timers: { connect?: NodeJS.Timeout; body?: NodeJS.Timeout } = {};
      const finish = (result: HopResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timers.connect);
        clearTimeout(timers.body);
        if (result.status !== 'fresh' && result.status !== 'not-modified') request.destroy();
        resolvePromise(result);
      };
      const fail = (message: string, retryAfterMs?: number): void =>
        finish(retryAfterMs === undefined ? { status: 'failed', error: message } : { status: 'failed', error: message, retryAfterMs });

      // Pin the connection to the address we checked: no second DNS answer can redirect it.
      const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
        if ((lookupOptions as { all?: boolean }).all) {
          (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, [target]);
        } else {
          callback(null, target.address, target.family);
        }
      };
      const headers: Record<string, string> = {
        'user-agent': options.userAgent,
        accept: ACCEPT,
        'accept-encoding': 'gzip, deflate, br',
      };
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(url, {
        method: 'GET',
        headers,
        lookup: pinnedLookup,
        agent: agents[url.protocol as 'http:' | 'https:'],
      });
      timers.connect = setTimeout(
        () => fail(`no response from ${url.host} within ${settings.connectTimeoutMs} ms (connect timeout)`),
        settings.connectTimeoutMs,
      );
      request.on('error', (error: NodeJS.ErrnoException) => fail(`request to ${url.host} failed: ${error.code ?? error.message}`));
      request.on('response', (response) => {
        clearTimeout(timers.connect);
        const status = response.statusCode ?? 0;
        if (REDIRECT_STATUSES.has(status)) {
          response.resume();
          const location = header(response.headers.location);
          if (!location) return fail(`HTTP ${status} redirect without a Location header`);
          return finish({ status: 'redirect', location });
        }
        if (status === 304) {
          response.resume();
          return finish({ status: 'not-modified', validators: validatorsFrom(response, validators) });
        }
        if (status < 200 || status >= 300) {
          response.resume();
          const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(header(response.headers['retry-after']), now()) : undefined;
          return fail(`HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`, retryAfterMs);
        }
        const declaredLength = Number(header(response.headers['content-length']));
        const encoding = header(response.headers['content-encoding']);
        if (!encoding && declaredLength > settings.maxBytes) {
          return fail(`body of ${formatBytes(declaredLength)} exceeds the ${formatBytes(settings.maxBytes)} cap`);
        }
        const decompressor = decompressorFor(encoding);
        if (decompressor === 'unsupported') return fail(`unsupported Content-Encoding "${encoding}"`);
        timers.body = setTimeout(
          () => fail(`body from ${url.host} not complete within ${settings.bodyTimeoutMs} ms (body timeout)`),
          settings.bodyTimeoutMs,
        );
        const body: Readable = decompressor ? response.pipe(decompressor) : response;
        const chunks: Buffer[] = [];
        let received = 0;
        body.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > settings.maxBytes) {
            decompressor?.destroy();
            return fail(`body exceeds the ${formatBytes(settings.maxBytes)} cap`);
          }
          chunks.push(chunk);
        });
        body.on('error', (error: Error) => fail(`could not read the body: ${error.message}`));
        response.on('aborted', () => fail(`connection closed before the body was complete`));
        response.on('error', (error: Error) => fail(`could not read the body: ${error.message}`));
        body.on('end', () => {
          if (response.complete === false) return fail('connection closed before the body was complete');
          const contentType = header(response.headers['content-type']);
          const decoded = decodeBody(Buffer.concat(chunks), contentType);
          const result: FetchResult = {
            status: 'fresh',
            body: decoded.text,
            validators: validatorsFrom(response, {}),
            finalUrl: url.href,
          };
          if (contentType) result.contentType = contentType;
          finish(result);
        });
      });
      request.end();
    });
  }

  async function fetchHttp(startUrl: URL, validators: Validators): Promise<FetchResult> {
    let url = startUrl;
    for (let hop = 0; ; hop += 1) {
      const target = await checkedAddress(url);
      const result = await requestOnce(url, target, validators);
      if (result.status !== 'redirect') return result;
      if (hop >= settings.maxRedirects) throw new FetchFailure(`more than ${settings.maxRedirects} redirects (last to ${result.location})`);
      let next: URL;
      try {
        next = new URL(result.location, url);
      } catch {
        throw new FetchFailure(`redirect to an invalid URL "${result.location.slice(0, 200)}"`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchFailure(`redirect to a ${next.protocol} URL refused`);
      url = next;
    }
  }

  async function fetchFile(filePath: string, validators: Validators): Promise<FetchResult> {
    const stat = await fs.stat(filePath).catch((error: NodeJS.ErrnoException) => {
      throw new FetchFailure(`cannot read ${filePath}: ${error.code ?? error.message}`);
    });
    if (!stat.isFile()) throw new FetchFailure(`${filePath} is not a file`);
    if (stat.size > settings.maxBytes) throw new FetchFailure(`file of ${formatBytes(stat.size)} exceeds the ${formatBytes(settings.maxBytes)} cap`);
    // The modification time plays the part of Last-Modified.
    const lastModified = stat.mtime.toUTCString();
    if (validators.lastModified === lastModified) return { status: 'not-modified', validators: { lastModified } };
    const bytes = await fs.readFile(filePath);
    return { status: 'fresh', body: decodeBody(bytes).text, validators: { lastModified }, finalUrl: pathToFileURL(filePath).href };
  }

  async function fetchFeed(feed: Feed, validators: Validators): Promise<FetchResult> {
    let url: URL | undefined;
    try {
      url = new URL(feed.url);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol === 'file:') {
      if (!options.allowFiles) throw new FetchFailure(url ? 'file: URLs are not allowed (allowFiles is off)' : `not a URL: "${feed.url.slice(0, 200)}"`);
      return fetchFile(url ? fileURLToPath(url) : path.resolve(feed.url), validators);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchFailure(`unsupported URL scheme ${url.protocol}`);
    return fetchHttp(url, validators);
  }

  return {
    async fetch(feed, validators) {
      try {
        return await fetchFeed(feed, validators);
      } catch (error) {
        if (error instanceof FetchFailure) {
          return error.retryAfterMs === undefined
            ? { status: 'failed', error: error.message }
            : { status: 'failed', error: error.message, retryAfterMs: error.retryAfterMs };
        }
        return { status: 'failed', error: `unexpected error: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}
