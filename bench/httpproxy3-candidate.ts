/**
 * Reference candidate, for comparison only: the thinnest gateway http-proxy-3 allows, with the same keep-alive
 * agent a gateway built on it would use (secure context built once, PEM key + chain, CA). No routing, no
 * traffic log, no policies: if CertGate's own gateway costs less CPU per request than this, building on
 * plain node:http/https is the faster choice (DESIGN.md "Gateway" names http-proxy-3).
 *
 *   node bench/run.mjs --candidate httpproxy3
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { createProxyServer } from 'http-proxy-3';

const pki = process.env.BENCH_PKI ?? '/tmp/bench/pki';
const target = process.env.BENCH_BACKEND_URL ?? 'https://127.0.0.1:18443';
const port = Number(process.env.CANDIDATE_PORT ?? 18090);

const agent = new https.Agent({
  keepAlive: true,
  secureContext: tls.createSecureContext({
    key: readFileSync(path.join(pki, 'client.key')),
    cert: readFileSync(path.join(pki, 'client.crt')),
    ca: readFileSync(path.join(pki, 'ca.crt')),
  }),
});
const proxy = createProxyServer({ target, agent, secure: true, changeOrigin: true, xfwd: true });
proxy.on('error', (_err, _req, res) => {
  if (res instanceof http.ServerResponse && !res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
  res.end('{"error":{"code":"backend-unreachable"}}');
});

const server = http.createServer((req, res) => {
  // Strip the route prefix the way the gateway does: /api/rest -> /rest.
  req.url = (req.url ?? '/').replace(/^\/api(?=\/|\?|$)/i, '') || '/';
  proxy.web(req, res);
});
server.listen(port, '127.0.0.1', () => console.log(`httpproxy3-candidate pid=${process.pid} :${port} -> ${target}`));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
