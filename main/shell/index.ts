/**
 * The Electron main process: one instance per user, the core on userData, the gateway in a utility process,
 * one locked-down window, IPC wired to the contract, and a clean shutdown that releases the data folder.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, protocol, session, type BrowserWindow } from 'electron';
import { openInstance, type Instance } from '../core/app/instance';
import { passphraseFromFile } from '../core/app/passphrase-file';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appLocation, serveRendererRequest, type AppLocation } from './app-protocol';
import { startExpiryNotifier } from './expiry-notifier';
import { fileDialogOperations } from './file-dialog';
import { GatewayProcess } from './gateway-process';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { lockAllWebContents, lockSession } from './security';
import { startSyncNotifier } from './sync-notifier';
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

/** The parts of the running app that a quit must close, in order. */
interface Running {
  readonly instance: Instance;
  readonly gateway: GatewayProcess;
  readonly expiryNotifier: { stop(): Promise<void> };
  readonly syncNotifier: { stop(): Promise<void> };
  readonly disposeIpc: () => void;
}

/** The one app window: opened on start (and on macOS's Dock click), focused when CertGate is launched again. */
class WindowKeeper {
  #window: BrowserWindow | null = null;

  constructor(private readonly options: { readonly location: AppLocation; readonly isDev: boolean; readonly stateFile: string }) {}

  get current(): BrowserWindow | null {
    return this.#window;
  }

  async open(): Promise<void> {
    const savedState = await readWindowState(this.options.stateFile);
    const window = createMainWindow({ ...this.options, preloadPath: PRELOAD_PATH, savedState });
    this.#window = window;
    window.on('closed', () => {
      this.#window = null;
    });
  }

  focus(): void {
    const window = this.#window;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }
}

async function run(): Promise<void> {
  let windows: WindowKeeper | null = null;
  app.on('second-instance', () => windows?.focus());

  await app.whenReady();
  const isDev = !app.isPackaged;
  // An installed app never follows an environment variable to another page.
  const location = appLocation(isDev ? process.env.ELECTRON_RENDERER_URL : undefined);
  lockApp(location, isDev);

  const gateway = new GatewayProcess({
    modulePath: GATEWAY_HOST_PATH,
    gateway: { host: '127.0.0.1', port: 8787, backendTimeoutMs: 60_000 },
    onStateChange: (status) => {
      console.info(`CertGate gateway: ${status.state}${status.url ? ` at ${status.url}` : ''}${status.message ? ` (${status.message})` : ''}`);
    },
  });
  const instance = await openOrExplain(gateway);
  if (!instance) return;
  // Only once this process owns the data folder: the core has already handed the driver its configuration.
  gateway.start();
  const keeper = new WindowKeeper({ location, isDev, stateFile: path.join(app.getPath('userData'), 'window-state.json') });
  windows = keeper;
  const running: Running = {
    instance,
    gateway,
    expiryNotifier: startExpiryNotifier({
      expiring: (input) => instance.operations['certificates.expiring'](input),
      subscribe: (listener) => instance.subscribe('changes', listener),
      stateFile: path.join(app.getPath('userData'), 'expiry-notifications.json'),
    }),
    syncNotifier: startSyncNotifier({
      list: () => instance.operations['certificates.list']({}),
      subscribe: (listener) => instance.subscribe('changes', listener),
    }),
    disposeIpc: registerIpc({
      getWindow: () => keeper.current,
      location,
      // The native file dialog replaces the core's "type the path" answer.
      operations: { ...instance.operations, ...fileDialogOperations(() => keeper.current) },
      subscribe: (channel, listener) => instance.subscribe(channel, listener),
    }),
  };
  const quitting = quitAfterClosing(running);
  await keeper.open();
  app.on('activate', () => {
    // macOS: the gateway keeps running with no window; the Dock icon brings the window back.
    if (!keeper.current && !quitting()) void keeper.open();
  });
}

/** Every lock before any page loads: the session, every web contents, the `app://` files, the menu. */
function lockApp(location: AppLocation, isDev: boolean): void {
  lockSession(session.defaultSession, location);
  lockAllWebContents(app, location);
  if (!location.devOrigin) {
    session.defaultSession.protocol.handle(APP_SCHEME, (request) => serveRendererRequest(RENDERER_DIR, request));
  }
  if (process.platform === 'win32') app.setAppUserModelId('dev.certgate.console');
  installMenu(isDev);
}

/** The dialog titles of the failures to start that the operator can act on. */
const START_FAILURE_TITLES: Readonly<Partial<Record<string, string>>> = {
  locked: 'CertGate is already running',
  'bad-passphrase': 'The vault passphrase is wrong',
  validation: 'CertGate could not read the vault passphrase',
};

/**
 * Open the instance on userData; on failure, say why in a dialog and exit (null). A passphrase vault opens
 * with the passphrase in the file named by CERTGATE_VAULT_PASSPHRASE_FILE, as `certgate` does (never argv);
 * without it, the window shows the unlock form.
 */
async function openOrExplain(gateway: GatewayProcess): Promise<Instance | null> {
  const passphrase = await passphraseFromFile(process.env, (message) => console.warn(`CertGate: warning: ${message}`));
  const opened = passphrase.ok
    ? await openInstance({
        dataDir: app.getPath('userData'),
        ...(passphrase.value === null ? {} : { vaultPassphrase: passphrase.value }),
        gateway: { driver: gateway },
        // The admin API lets `certgate` commands reach this running instance instead of the locked files.
        admin: { host: '127.0.0.1', port: 0 },
      })
    : passphrase;
  if (opened.ok) return opened.value;
  dialog.showErrorBox(START_FAILURE_TITLES[opened.error.code] ?? 'CertGate could not start', opened.error.message);
  app.exit(1);
  return null;
}

/**
 * From here on, quitting closes everything first (the gateway drains, the data folder is released), within a
 * time limit. Returns whether a quit has begun.
 */
function quitAfterClosing(running: Running): () => boolean {
  let shutdown: Promise<void> | null = null;
  app.on('before-quit', (event) => {
    if (shutdown === null) {
      event.preventDefault();
      shutdown = closeEverything(running).finally(() => app.quit());
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  return () => shutdown !== null;
}

async function closeEverything(running: Running): Promise<void> {
  running.disposeIpc();
  const work = (async () => {
    await running.expiryNotifier.stop();
    await running.syncNotifier.stop();
    await running.instance.close();
    await running.gateway.stop();
  })();
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
  await Promise.race([work.catch(() => undefined), timeout]);
}
