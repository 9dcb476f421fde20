/**
 * The Electron main process: one instance per user, the core on userData, the gateway in a utility process,
 * one locked-down window, IPC wired to the contract, and a clean shutdown that releases the data folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, protocol, session, type BrowserWindow } from 'electron';
import { openInstance, type Instance } from '../core/app/instance';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appLocation, serveRendererRequest } from './app-protocol';
import { startExpiryNotifier } from './expiry-notifier';
import { GatewayProcess } from './gateway-process';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { lockSession } from './security';
import { createMainWindow } from './window';
import { readWindowState } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = path.join(here, '../renderer');
const PRELOAD_PATH = path.join(here, '../preload/index.cjs');
const GATEWAY_HOST_PATH = path.join(here, 'gateway-host.js');
const SHUTDOWN_TIMEOUT_MS = 15_000;

// Both must happen before `ready`: the scheme's privileges, and the sandbox for every renderer.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another CertGate owns this user's data: it will focus its window (see 'second-instance').
  app.quit();
} else {
  run().catch((err: unknown) => {
    // A throw here is a bug; say so rather than leave a process with no window.
    dialog.showErrorBox('CertGate could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}

async function run(): Promise<void> {
  let window: BrowserWindow | null = null;
  let instance: Instance | null = null;
  let disposeIpc: (() => void) | null = null;
  let shutdown: Promise<void> | null = null;

  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  await app.whenReady();
  const isDev = !app.isPackaged;
  // An installed app never follows an environment variable to another page.
  const location = appLocation(isDev ? process.env.ELECTRON_RENDERER_URL : undefined);
  lockSession(session.defaultSession, location);
  if (!location.devOrigin) {
    session.defaultSession.protocol.handle(APP_SCHEME, (request) => serveRendererRequest(RENDERER_DIR, request));
  }
  if (process.platform === 'win32') app.setAppUserModelId('dev.certgate.console');
  installMenu(isDev);

  const gateway = new GatewayProcess({
    modulePath: GATEWAY_HOST_PATH,
    gateway: { host: '127.0.0.1', port: 8787, backendTimeoutMs: 60_000 },
    onStateChange: (status) => {
      console.info(`CertGate gateway: ${status.state}${status.url ? ` at ${status.url}` : ''}${status.message ? ` (${status.message})` : ''}`);
    },
  });

  const opened = await openInstance({
    dataDir: app.getPath('userData'),
    gateway: { driver: gateway },
    // The admin API lets `certgate` commands reach this running instance instead of the locked files.
    admin: { host: '127.0.0.1', port: 0 },
  });
  if (!opened.ok) {
    const title = opened.error.code === 'locked' ? 'CertGate is already running' : 'CertGate could not start';
    dialog.showErrorBox(title, opened.error.message);
    app.exit(1);
    return;
  }
  const running = opened.value;
  instance = running;
  // Only once this process owns the data folder: the core has already handed the driver its configuration.
  gateway.start();
  const expiryNotifier = startExpiryNotifier({
    expiring: (input) => running.operations['certificates.expiring'](input),
    subscribe: (listener) => running.subscribe('changes', listener),
    stateFile: path.join(app.getPath('userData'), 'expiry-notifications.json'),
  });

  // From here on, quitting closes the instance first: the gateway drains and the data folder is released.
  app.on('before-quit', (event) => {
    if (shutdown === null) {
      event.preventDefault();
      shutdown = closeEverything().finally(() => app.quit());
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const openWindow = async () => {
    const savedState = await readWindowState(stateFile);
    window = createMainWindow({ location, preloadPath: PRELOAD_PATH, stateFile, savedState, isDev });
    window.on('closed', () => {
      window = null;
    });
  };
  disposeIpc = registerIpc({
    getWindow: () => window,
    location,
    operations: running.operations,
    subscribe: (channel, listener) => running.subscribe(channel, listener),
  });
  await openWindow();
  app.on('activate', () => {
    // macOS: the gateway keeps running with no window; the Dock icon brings the window back.
    if (!window && !shutdown) void openWindow();
  });

  async function closeEverything(): Promise<void> {
    disposeIpc?.();
    const work = (async () => {
      await expiryNotifier.stop();
      await instance?.close();
      await gateway.stop();
    })();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
    await Promise.race([work.catch(() => undefined), timeout]);
  }
}
