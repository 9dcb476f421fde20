/** The admin HTTP server (browser console, REST API, CLI transport), its token, and the CLI's client. */
export { startAdminServer, DEFAULT_ADMIN_PORT, type AdminServer, type AdminServerOptions } from './server';
export { loadOrCreateToken, TOKEN_FILE } from './token';
export { callAdmin, NETWORK_REASON } from './client';
