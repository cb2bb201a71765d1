import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Feed } from '../../src/core/model.js';
import { createHttpFeedSource, feedUserAgent, parseRetryAfter, type HttpFeedSourceOptions } from '../../src/feeds/fetch-feed.js';
import { rssDocument, startFeedServer, type FeedServer } from '../fakes/feed-server.js';

const USER_AGENT = 'storywatch/test (+mailto:desk@example.org)';
const BODY = rssDocument('News', [{ title: 'One', link: 'http://example.org/1' }]);

function feedAt(url: string): Feed {
  return { id: 'f1', url, title: 'F', kind: 'outlet', stories: [], intervalMinutes: 5 };
}

function source(overrides: Partial<HttpFeedSourceOptions> = {}) {
  return createHttpFeedSource({ userAgent: USER_AGENT, allowPrivateHosts: ['127.0.0.1'], connectTimeoutMs: 1000, bodyTimeoutMs: 1000, ...overrides });
}

let server: FeedServer;
const extraServers: FeedServer[] = [];

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(extraServers.splice(0).map((extra) => extra.close()));
});

describe('createHttpFeedSource', () => {
  it('fetches a feed with our User-Agent and returns its validators', async () => {
    server.route('/fresh', { body: BODY, etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    const result = await source().fetch(feedAt(server.url('/fresh')), {});
    expect(result).toEqual({
      status: 'fresh',
      body: BODY,
      contentType: 'application/rss+xml; charset=utf-8',
      validators: { etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' },
      finalUrl: server.url('/fresh'),
    });
    const sent = server.requests.at(-1)?.headers;
    expect(sent?.['user-agent']).toBe(USER_AGENT);
    expect(sent?.['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('sends its validators and treats 304 as not modified', async () => {
    server.route('/conditional', { body: BODY, etag: '"v2"', lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT' });
    const result = await source().fetch(feedAt(server.url('/conditional')), { etag: '"v2"', lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT' });
    expect(result).toEqual({ status: 'not-modified', validators: { etag: '"v2"', lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT' } });
    const sent = server.requests.at(-1)?.headers;
    expect(sent?.['if-none-match']).toBe('"v2"');
    expect(sent?.['if-modified-since']).toBe('Tue, 02 Jan 2024 00:00:00 GMT');
  });

  it.each(['gzip', 'deflate', 'br'] as const)('decompresses %s bodies', async (encoding) => {
    server.route(`/${encoding}`, { body: BODY, encoding });
    const result = await source().fetch(feedAt(server.url(`/${encoding}`)), {});
    expect(result).toMatchObject({ status: 'fresh', body: BODY });
  });

  it('decodes the body in the charset of the Content-Type header', async () => {
    server.route('/latin1', {
      body: Buffer.from('<rss version="2.0"><channel><title>Caf\u00e9</title></channel></rss>', 'latin1'),
      headers: { 'content-type': 'application/rss+xml; charset=iso-8859-1' },
    });
    const result = await source().fetch(feedAt(server.url('/latin1')), {});
    expect(result.status === 'fresh' && result.body).toContain('Café');
  });

  it('stops reading a 1 GB streamed body at the size cap', async () => {
    let sent = 0;
    server.route('/huge', {
      handle: (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = (): void => {
          while (sent < 1024 ** 3 && !response.destroyed) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end();
        };
        pump();
      },
    });
    const result = await source({ bodyTimeoutMs: 10_000 }).fetch(feedAt(server.url('/huge')), {});
    expect(result).toEqual({ status: 'failed', error: 'body exceeds the 5 MB cap' });
    expect(sent).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a body whose declared length is over the cap without reading it', async () => {
    server.route('/declared-huge', {
      handle: (_request, response) => {
        response.writeHead(200, { 'content-length': String(1024 ** 3) });
        response.write('<rss>');
      },
    });
    const result = await source({ maxBytes: 1024 }).fetch(feedAt(server.url('/declared-huge')), {});
    expect(result).toEqual({ status: 'failed', error: 'body of 1024 MB exceeds the 1024 bytes cap' });
  });

  it('applies the size cap after decompression (a gzip bomb)', async () => {
    server.route('/bomb', { body: Buffer.alloc(20 * 1024 * 1024, 0x20), encoding: 'gzip' });
    const result = await source().fetch(feedAt(server.url('/bomb')), {});
    expect(result).toEqual({ status: 'failed', error: 'body exceeds the 5 MB cap' });
  });

  it('gives up on a server that stalls mid-body', async () => {
    server.route('/stall', {
      handle: (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '1000' });
        response.write('<rss version="2.0"><channel>');
      },
    });
    const result = await source({ bodyTimeoutMs: 200 }).fetch(feedAt(server.url('/stall')), {});
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/body timeout/) });
  });

  it('gives up on a server that never answers', async () => {
    server.route('/silent', { handle: () => undefined });
    const result = await source({ connectTimeoutMs: 200 }).fetch(feedAt(server.url('/silent')), {});
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/connect timeout/) });
  });

  it('follows redirects and reports the final URL', async () => {
    server.route('/old', { status: 301, headers: { location: '/moved' } });
    server.route('/moved', { status: 302, headers: { location: server.url('/new') } });
    server.route('/new', { body: BODY });
    const result = await source().fetch(feedAt(server.url('/old')), {});
    expect(result).toMatchObject({ status: 'fresh', finalUrl: server.url('/new') });
  });

  it('stops a redirect loop after 5 hops', async () => {
    server.route('/loop-a', { status: 302, headers: { location: '/loop-b' } });
    server.route('/loop-b', { status: 302, headers: { location: '/loop-a' } });
    const before = server.requests.length;
    const result = await source().fetch(feedAt(server.url('/loop-a')), {});
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/^more than 5 redirects/) });
    expect(server.requests.length - before).toBe(6);
  });

  it.each([
    ['127.0.0.2', 'http://127.0.0.2'],
    ['::1', 'http://[::1]'],
  ])('refuses a redirect to the private address %s and never contacts it', async (host, origin) => {
    const target = await startFeedServer({ '/secret': { body: BODY } }, { host });
    extraServers.push(target);
    server.route('/to-private', { status: 302, headers: { location: `${origin}:${target.port}/secret` } });
    const result = await source({ allowPrivateHosts: ['127.0.0.1'] }).fetch(feedAt(server.url('/to-private')), {});
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/^refused: .* is loopback/) });
    expect(target.requests).toEqual([]);
  });

  it('refuses a loopback feed unless it is allowlisted', async () => {
    server.route('/plain', { body: BODY });
    const before = server.requests.length;
    const result = await source({ allowPrivateHosts: [] }).fetch(feedAt(server.url('/plain')), {});
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/^refused: 127\.0\.0\.1 is loopback/) });
    expect(server.requests.length).toBe(before);
  });

  it('checks the addresses a host name resolves to, and connects to the checked one', async () => {
    server.route('/named', { body: BODY });
    const url = `http://feeds.example.test:${server.port}/named`;
    const lookups: string[] = [];
    const resolveTo = (addresses: string[]) => async (hostname: string) => {
      lookups.push(hostname);
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    const refused = await source({ allowPrivateHosts: [], resolve: resolveTo(['127.0.0.1']) }).fetch(feedAt(url), {});
    expect(refused).toMatchObject({ status: 'failed', error: expect.stringMatching(/127\.0\.0\.1 \(feeds\.example\.test\) is loopback/) });
    const mixed = await source({ allowPrivateHosts: ['127.0.0.1'], resolve: resolveTo(['127.0.0.1', '10.0.0.7']) }).fetch(feedAt(url), {});
    expect(mixed).toMatchObject({ status: 'failed', error: expect.stringMatching(/10\.0\.0\.7 .* is private/) });
    const allowed = await source({ allowPrivateHosts: ['feeds.example.test'], resolve: resolveTo(['127.0.0.1']) }).fetch(feedAt(url), {});
    expect(allowed).toMatchObject({ status: 'fresh', body: BODY });
    expect(server.requests.at(-1)?.headers.host).toBe(`feeds.example.test:${server.port}`);
    expect(lookups).toEqual(['feeds.example.test', 'feeds.example.test', 'feeds.example.test']);
  });

  it('passes on Retry-After from a 429 or 503', async () => {
    server.route('/busy', { status: 429, headers: { 'retry-after': '120' } });
    const busy = await source().fetch(feedAt(server.url('/busy')), {});
    expect(busy).toEqual({ status: 'failed', error: 'HTTP 429 Too Many Requests', retryAfterMs: 120_000 });
    server.route('/down', { status: 503, headers: { 'retry-after': 'Mon, 01 Jan 2024 00:10:00 GMT' } });
    const down = await source({ now: () => Date.parse('Mon, 01 Jan 2024 00:00:00 GMT') }).fetch(feedAt(server.url('/down')), {});
    expect(down).toMatchObject({ status: 'failed', retryAfterMs: 600_000 });
  });

  it('reports other HTTP errors', async () => {
    const result = await source().fetch(feedAt(server.url('/missing')), {});
    expect(result).toEqual({ status: 'failed', error: 'HTTP 404 Not Found' });
  });

  it('refuses schemes other than http and https', async () => {
    const result = await source().fetch(feedAt('ftp://127.0.0.1/feed.xml'), {});
    expect(result).toEqual({ status: 'failed', error: 'unsupported URL scheme ftp:' });
  });

  describe('files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'storywatch-feeds-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses file: URLs unless allowFiles is on', async () => {
      const result = await source().fetch(feedAt('file:///etc/hostname'), {});
      expect(result).toEqual({ status: 'failed', error: 'file: URLs are not allowed (allowFiles is off)' });
      expect(await source().fetch(feedAt('config/demo/feed.xml'), {})).toMatchObject({ status: 'failed', error: expect.stringMatching(/^not a URL/) });
    });

    it('reads files with allowFiles, using the modification time as Last-Modified', async () => {
      const file = path.join(dir, 'feed.xml');
      await writeFile(file, BODY);
      await utimes(file, new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'));
      const files = source({ allowFiles: true });
      const first = await files.fetch(feedAt(pathToFileURL(file).href), {});
      expect(first).toEqual({ status: 'fresh', body: BODY, validators: { lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' }, finalUrl: pathToFileURL(file).href });
      const again = await files.fetch(feedAt(path.relative(process.cwd(), file)), { lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
      expect(again).toEqual({ status: 'not-modified', validators: { lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' } });
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', 0)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 120_000)).toBe(0);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});

describe('feedUserAgent', () => {
  it('names the bot and how to reach its operator', () => {
    expect(feedUserAgent('0.1.0', 'news@example.org')).toBe('storywatch/0.1.0 (+mailto:news@example.org)');
    expect(feedUserAgent('0.1.0', 'https://example.org/bot')).toBe('storywatch/0.1.0 (+https://example.org/bot)');
  });
});
