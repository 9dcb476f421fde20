import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../preload/contract';
import { tempDir } from '../../helpers/temp-dir';

const state = vi.hoisted(() => ({
  app: null as unknown as ReturnType<typeof makeApp>,
  windows: [] as { loaded: string[]; restore: () => void; focus: () => void; show: () => void; minimized: boolean }[],
  handled: [] as string[],
  privileged: [] as unknown[],
  errors: [] as string[],
  handlers: new Map<string, unknown>(),
  forks: 0,
  openInstance: null as unknown as (options: unknown) => Promise<unknown>,
}));

function makeApp(singleInstance: boolean) {
  const events = new EventEmitter();
  return Object.assign(events, {
    requestSingleInstanceLock: vi.fn(() => singleInstance),
    enableSandbox: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
    isPackaged: true,
    getPath: vi.fn(() => os.tmpdir()),
    quit: vi.fn(),
    exit: vi.fn(),
    setAppUserModelId: vi.fn(),
  });
}

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const { electronModule } = await import('./fake-electron');
  const base = electronModule();
  class Window extends base.BrowserWindow {
    minimized = true;
    constructor(options: Record<string, unknown>) {
      super(options);
      state.windows.push(this as never);
    }
    override isMinimized(): boolean {
      return this.minimized;
    }
  }
  return {
    ...base,
    BrowserWindow: Window,
    // A getter: the mock module may outlive vi.resetModules(), each launch brings its own app.
    get app() {
      return state.app;
    },
    protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => state.privileged.push(...schemes) },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
        protocol: { handle: (scheme: string) => state.handled.push(scheme) },
      },
    },
    dialog: { showErrorBox: (title: string) => state.errors.push(title) },
    ipcMain: {
      handle: (channel: string, handler: unknown) => {
        if (state.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        state.handlers.set(channel, handler);
      },
      removeHandler: (channel: string) => state.handlers.delete(channel),
      on: vi.fn(),
      removeListener: vi.fn(),
    },
    utilityProcess: {
      fork: () => {
        state.forks += 1;
        const child = new Emitter();
        // Plays a well-behaved gateway process: exits when asked to stop.
        const postMessage = (message: { type: string }) => {
          if (message.type === 'stop') setTimeout(() => child.emit('exit', 0), 1);
        };
        return Object.assign(child, { postMessage, kill: vi.fn() });
      },
    },
  };
});

vi.mock('../../../main/core/app/instance', () => ({ openInstance: (options: unknown) => state.openInstance(options) }));

function fakeInstance() {
  return { operations: { 'certificates.expiring': async () => ok([]) }, subscribe: vi.fn(() => () => {}), gatewayUrl: null, adminUrl: null, close: vi.fn(async () => {}) };
}

async function launch(singleInstance = true) {
  vi.resetModules();
  state.app = makeApp(singleInstance);
  await import('../../../main/shell/index');
  await vi.waitFor(() => expect(state.app.whenReady).toHaveBeenCalled());
}

beforeEach(() => {
  vi.spyOn(console, 'info').mockImplementation(() => {});
  state.windows = [];
  state.handled = [];
  state.privileged = [];
  state.errors = [];
  state.handlers.clear();
  state.forks = 0;
});

describe('main process', () => {
  it('a second launch quits at once and opens nothing (the first instance focuses its window)', async () => {
    state.openInstance = vi.fn();
    vi.resetModules();
    state.app = makeApp(false);
    await import('../../../main/shell/index');
    expect(state.app.quit).toHaveBeenCalled();
    expect(state.app.whenReady).not.toHaveBeenCalled();
    expect(state.openInstance).not.toHaveBeenCalled();
  });

  it('opens the instance on userData with the gateway in a utility process, then one locked window on app://', async () => {
    const instance = fakeInstance();
    state.openInstance = vi.fn(async () => ok(instance));
    await launch();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    expect(state.app.enableSandbox).toHaveBeenCalled();
    expect(state.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
    expect(state.handled).toEqual(['app']);
    expect(state.openInstance).toHaveBeenCalledWith({
      dataDir: os.tmpdir(),
      gateway: { driver: expect.objectContaining({ apply: expect.any(Function), stop: expect.any(Function) }) },
      admin: { host: '127.0.0.1', port: 0 },
    });
    expect(state.windows[0]?.loaded).toEqual(['app://certgate/index.html']);
    // Every web contents is locked as it is created, not only the main window's.
    expect(state.app.listenerCount('web-contents-created')).toBe(1);
    expect(state.handlers.size).toBeGreaterThan(0);
    expect(state.forks).toBe(1);
  });

  it('focuses the existing window when launched again', async () => {
    state.openInstance = vi.fn(async () => ok(fakeInstance()));
    await launch();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    state.app.emit('second-instance');
    expect(state.windows[0]?.restore).toHaveBeenCalled();
    expect(state.windows[0]?.focus).toHaveBeenCalled();
  });

  it('quits cleanly: holds the quit until the instance is closed, then quits', async () => {
    const instance = fakeInstance();
    state.openInstance = vi.fn(async () => ok(instance));
    await launch();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    const event = { preventDefault: vi.fn() };
    state.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(state.app.quit).toHaveBeenCalled());
    expect(instance.close).toHaveBeenCalled();
    const again = { preventDefault: vi.fn() };
    state.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('says so and exits when another process owns the data folder', async () => {
    state.openInstance = vi.fn(async () => fail('locked', 'certgate serve (pid 42) is using this data folder.'));
    await launch();
    await vi.waitFor(() => expect(state.app.exit).toHaveBeenCalledWith(1));
    expect(state.errors).toEqual(['CertGate is already running']);
    expect(state.windows).toHaveLength(0);
    expect(state.forks).toBe(0);
  });
});

describe('main process on a passphrase vault (CERTGATE_VAULT_PASSPHRASE_FILE, as the CLI reads it)', () => {
  let folder: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    folder = await tempDir();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await folder.remove();
  });

  async function passphraseFile(text: string): Promise<string> {
    const file = path.join(folder.path, 'vault-passphrase');
    await writeFile(file, text, { mode: 0o600 });
    vi.stubEnv('CERTGATE_VAULT_PASSPHRASE_FILE', file);
    return file;
  }

  it('opens the instance with the passphrase from the file (one trailing newline removed), never from argv', async () => {
    await passphraseFile('a long passphrase\n');
    state.openInstance = vi.fn(async () => ok(fakeInstance()));
    await launch();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    expect(state.openInstance).toHaveBeenCalledWith(expect.objectContaining({ dataDir: os.tmpdir(), vaultPassphrase: 'a long passphrase' }));
    expect(process.argv.join(' ')).not.toContain('a long passphrase');
  });

  it('a wrong passphrase is bad-passphrase: said in a dialog, and nothing opens', async () => {
    await passphraseFile('wrong');
    state.openInstance = vi.fn(async () => fail('bad-passphrase', 'The vault passphrase is wrong for this data folder. Nothing was changed.'));
    await launch();
    await vi.waitFor(() => expect(state.app.exit).toHaveBeenCalledWith(1));
    expect(state.errors).toEqual(['The vault passphrase is wrong']);
    expect(state.windows).toHaveLength(0);
    expect(state.forks).toBe(0);
  });

  it('an unreadable or empty file is said in a dialog before the data folder is opened', async () => {
    for (const setup of [() => vi.stubEnv('CERTGATE_VAULT_PASSPHRASE_FILE', path.join(folder.path, 'missing')), () => passphraseFile('\n')]) {
      await setup();
      state.errors = [];
      state.openInstance = vi.fn(async () => ok(fakeInstance()));
      await launch();
      await vi.waitFor(() => expect(state.app.exit).toHaveBeenCalledWith(1));
      expect(state.errors).toEqual(['CertGate could not read the vault passphrase']);
      expect(state.openInstance).not.toHaveBeenCalled();
    }
  });

  it('without the variable a passphrase folder opens locked (the window shows the unlock form)', async () => {
    vi.stubEnv('CERTGATE_VAULT_PASSPHRASE_FILE', '');
    state.openInstance = vi.fn(async () => ok(fakeInstance()));
    await launch();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    expect(state.openInstance).toHaveBeenCalledWith(expect.not.objectContaining({ vaultPassphrase: expect.anything() }));
  });
});
