// GET /healthz for process supervisors and load balancers: 200 when every component is ok, else 503.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthSnapshot } from './health.js';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(port: number, host: string, snapshot: () => HealthSnapshot): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url !== '/healthz' && request.url !== '/health')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const health = snapshot();
    response.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(health)}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
