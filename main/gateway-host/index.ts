/**
 * Entry of the gateway's Electron utility process (out/main/gateway-host.js): the core's Gateway runs here,
 * so a flood of proxied calls or a slow TLS handshake never competes with the window for the main thread.
 */
import { Gateway } from '../core/gateway/gateway';
import { serveGateway } from './endpoint';

const port = process.parentPort;
if (!port) {
  throw new Error('gateway-host runs only as an Electron utility process (utilityProcess.fork).');
}
serveGateway({
  port,
  createGateway: (options) => new Gateway(options),
  exit: (code) => process.exit(code),
});
