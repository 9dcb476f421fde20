/**
 * A small stand-in for the parts of `electron` the shell uses (Electron's binary cannot run in unit tests).
 * Test files route `vi.mock('electron', ...)` here and inspect `fake` to see what the shell did.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/** A frame as WebFrameMain exposes it. */
export class FakeFrame {
  constructor(public url: string) {}
}

/** webContents: events, the window-open handler, sends. */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  mainFrame: FakeFrame;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;

  constructor(url = 'app://certgate/index.html') {
    super();
    this.mainFrame = new FakeFrame(url);
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** BrowserWindow: records its options and what was loaded. */
export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  maximized = false;
  destroyed = false;
  bounds: { x: number; y: number; width: number; height: number };

  constructor(public readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    this.bounds = {
      x: Number(options.x ?? 0),
      y: Number(options.y ?? 0),
      width: Number(options.width ?? 800),
      height: Number(options.height ?? 600),
    };
    FakeBrowserWindow.created.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }

  maximize(): void {
    this.maximized = true;
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  getNormalBounds() {
    return this.bounds;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  isMinimized(): boolean {
    return false;
  }

  restore = vi.fn();
  show = vi.fn();
  focus = vi.fn();
}

/** Everything the fake records. */
export const fake = {
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  /** ipcMain.on listeners by channel. */
  listeners: new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>(),
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  openExternal: vi.fn((_url: string) => Promise.resolve()),
  applicationMenu: null as unknown,
};

/** The module object `vi.mock('electron')` returns. */
export function electronModule() {
  return {
    BrowserWindow: FakeBrowserWindow,
    screen: {
      getPrimaryDisplay: () => fake.displays[0],
      getAllDisplays: () => fake.displays,
    },
    shell: { openExternal: fake.openExternal },
    nativeTheme: { shouldUseDarkColors: false },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
        if (fake.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        fake.handlers.set(channel, handler);
      },
      removeHandler: (channel: string) => {
        fake.handlers.delete(channel);
      },
      on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        const set = fake.listeners.get(channel) ?? new Set();
        fake.listeners.set(channel, set);
        set.add(listener);
      },
      removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        fake.listeners.get(channel)?.delete(listener);
      },
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => {
        fake.applicationMenu = menu;
      },
    },
  };
}

/** A Session with the hooks `lockSession` sets, captured. */
export function fakeSession() {
  const captured = {
    headersListener: null as
      | null
      | ((details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string | string[]> }) => void) => void),
    permissionRequest: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void),
    permissionCheck: null as null | ((contents: unknown, permission: string, origin: string, details: unknown) => boolean),
    devicePermission: null as null | ((details: unknown) => boolean),
  };
  const session = {
    webRequest: {
      onHeadersReceived: (listener: typeof captured.headersListener) => {
        captured.headersListener = listener;
      },
    },
    setPermissionRequestHandler: (h: typeof captured.permissionRequest) => {
      captured.permissionRequest = h;
    },
    setPermissionCheckHandler: (h: typeof captured.permissionCheck) => {
      captured.permissionCheck = h;
    },
    setDevicePermissionHandler: (h: typeof captured.devicePermission) => {
      captured.devicePermission = h;
    },
  };
  return { session, captured };
}
