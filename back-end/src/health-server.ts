import { createServer, type Server } from 'node:http';

export interface HealthProbe {
  /** Broker consumer and database primary both usable. */
  ready(): { ready: boolean; detail: Record<string, unknown> };
}

/** Liveness and readiness for container probes; a worker has no other HTTP surface. */
export function startHealthServer(port: number, probe: HealthProbe): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.url === '/readyz') {
      const { ready, detail } = probe.ready();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready, ...detail }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
