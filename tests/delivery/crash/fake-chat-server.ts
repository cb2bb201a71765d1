// A loopback chat platform for crash tests: records every message it accepts and dedupes
// nothing, so a double post is visible. It can also misbehave: 503s, 429s, and accepting a
// message then dropping the connection before answering (the case findSent exists for).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './workload.js';

export interface SentRecord {
  platform: string;
  action: 'post' | 'dm';
  target: string;
  deliveryId: string;
  id: string;
  text: string;
}

export interface EditRecord {
  platform: string;
  id: string;
  text: string;
}

export interface Faults {
  unavailableRate: number;
  rateLimitedRate: number;
  dropAfterAcceptRate: number;
  seed: number;
}

export interface FakeChatServer {
  url: string;
  sent: SentRecord[];
  edits: EditRecord[];
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
}

export async function startFakeChatServer(faults?: Faults): Promise<FakeChatServer> {
  const sent: SentRecord[] = [];
  const edits: EditRecord[] = [];
  const random = seededRandom(faults?.seed ?? 1);
  let nextId = 1;

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'GET' && url.pathname === '/find') {
        const found = sent.find(
          (record) =>
            record.platform === url.searchParams.get('platform') &&
            record.target === url.searchParams.get('target') &&
            record.deliveryId === url.searchParams.get('deliveryId'),
        );
        response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(found ? { id: found.id } : {}));
        return;
      }
      const body = await readJson(request);
      const roll = random();
      if (faults && roll < faults.unavailableRate) {
        response.writeHead(503).end();
        return;
      }
      if (faults && roll < faults.unavailableRate + faults.rateLimitedRate) {
        response.writeHead(429, { 'retry-after-ms': '20' }).end();
        return;
      }
      if (url.pathname === '/send') {
        const record: SentRecord = {
          platform: body.platform!, action: body.action as 'post' | 'dm', target: body.target!, deliveryId: body.deliveryId!,
          id: `msg-${nextId++}`, text: body.text!,
        };
        sent.push(record);
        if (faults && roll < faults.unavailableRate + faults.rateLimitedRate + faults.dropAfterAcceptRate) {
          request.socket.destroy();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: record.id }));
        return;
      }
      if (url.pathname === '/edit') {
        edits.push({ platform: body.platform!, id: body.id!, text: body.text! });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      response.writeHead(404).end();
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    edits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What each channel post finally shows: its last edit, or what was posted. Keyed by delivery id.
 * DMs are left out: they are never edited, so they show the update as it was when they went out.
 */
export function finalPostTexts(sent: SentRecord[], edits: EditRecord[]): Map<string, string> {
  const lastEdit = new Map<string, string>();
  for (const edit of edits) lastEdit.set(`${edit.platform}|${edit.id}`, edit.text);
  return new Map(
    sent
      .filter((record) => record.action === 'post')
      .map((record) => [record.deliveryId, lastEdit.get(`${record.platform}|${record.id}`) ?? record.text]),
  );
}
