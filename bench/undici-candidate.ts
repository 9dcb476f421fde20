/**
 * Reference candidate, for comparison only: the thinnest reverse proxy on undici (one Pool, secure context
 * built once, raw dispatch handler, no routing, no policies, no traffic log, no framing checks). The gateway's
 * own per-call cost is its CPU per request minus this one's, measured in the same run.
 *
 *   node bench/run.mjs --candidate undici
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import tls from 'node:tls';
import { Pool } from 'undici';

const pki = process.env.BENCH_PKI ?? '/tmp/bench/pki';
const target = process.env.BENCH_BACKEND_URL ?? 'https://127.0.0.1:18443';
const port = Number(process.env.CANDIDATE_PORT ?? 18090);
const secureContext = tls.createSecureContext({
  key: readFileSync(path.join(pki, 'client.key')),
  cert: readFileSync(path.join(pki, 'client.crt')),
  ca: readFileSync(path.join(pki, 'ca.crt')),
});
const pool = new Pool(target, { connect: { secureContext, servername: 'localhost' }, connections: 256 });
const host = new URL(target).host;

http
  .createServer((req, res) => {
    const headers = ['host', host];
    pool.dispatch(
      { path: (req.url ?? '/').replace(/^\/api/, '') || '/', method: 'GET', headers },
      {
        onConnect: () => undefined,
        onHeaders: (status: number, raw: Buffer[]) => {
          const out: string[] = [];
          for (let i = 0; i < raw.length; i += 2) {
            const name = (raw[i] as Buffer).toString('latin1');
            const lower = name.toLowerCase();
            if (lower !== 'connection' && lower !== 'keep-alive' && lower !== 'transfer-encoding') out.push(name, (raw[i + 1] as Buffer).toString('latin1'));
          }
          res.writeHead(status, out);
          return true;
        },
        onData: (chunk: Buffer) => res.write(chunk),
        onComplete: () => res.end(),
        onError: () => {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        },
      },
    );
  })
  .listen(port, '127.0.0.1', () => console.log(`undici-candidate pid=${process.pid} http://127.0.0.1:${port}/api/`));

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
