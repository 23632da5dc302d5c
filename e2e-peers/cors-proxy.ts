/**
 * A pass-through HTTP proxy that adds CORS headers, as a deployment puts a reverse proxy (nginx,
 * Caddy…) in front of a server that sends none — here lakeFS's S3 gateway, so that the app's S3
 * form can reach it from the browser. It answers preflight `OPTIONS` itself for `allowOrigin` and
 * forwards everything else unchanged (method, path, query, body and every header including `Host`,
 * which SigV4 signs), adding `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers` to
 * the answer. Requests from other origins get no CORS headers (the browser refuses them).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface CorsProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

/** Starts the proxy on a free port of 127.0.0.1 in front of `target` (`http://host:port`). */
export async function startCorsProxy(target: string, allowOrigin: string): Promise<CorsProxy> {
  const t = new URL(target);
  const server = http.createServer((req, res) => {
    const allowed = req.headers.origin === allowOrigin;
    const cors: Record<string, string> = allowed
      ? { 'Access-Control-Allow-Origin': allowOrigin, 'Access-Control-Expose-Headers': 'ETag, Content-Length, Content-Range, Last-Modified, x-amz-request-id', Vary: 'Origin' }
      : {};
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.writeHead(allowed ? 204 : 403, {
        ...cors,
        ...(allowed ? { 'Access-Control-Allow-Methods': 'GET, HEAD, PUT', 'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*', 'Access-Control-Max-Age': '600' } : {}),
      });
      res.end();
      return;
    }
    const up = http.request({ hostname: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...cors });
      answer.pipe(res);
    });
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, cors);
      res.end(String(e));
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
