import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { appLocation } = await import('../../../main/shell/app-protocol');
const { createMainWindow } = await import('../../../main/shell/window');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'certgate-window-'));
  FakeBrowserWindow.created = [];
  fake.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function open(savedState: Parameters<typeof createMainWindow>[0]['savedState'] = null, isDev = false) {
  return createMainWindow({
    location: appLocation(undefined),
    preloadPath: '/app/out/preload/index.cjs',
    stateFile: path.join(dir, 'window-state.json'),
    savedState,
    isDev,
  }) as unknown as FakeBrowserWindow;
}

describe('main window', () => {
  it('is locked down: isolated, sandboxed, no Node, web security on, no insecure content, no webview', () => {
    const prefs = open().options.webPreferences ?? {};
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('has DevTools only in development', () => {
    expect(open(null, false).options.webPreferences?.devTools).toBe(false);
    expect(open(null, true).options.webPreferences?.devTools).toBe(true);
  });

  it('loads the app page and locks navigation and window.open', () => {
    const window = open();
    expect(window.loaded).toEqual(['app://certgate/index.html']);
    expect(window.webContents.listenerCount('will-navigate')).toBe(1);
    expect(window.webContents.listenerCount('will-redirect')).toBe(1);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('stays hidden until painted', () => {
    const window = open();
    expect(window.options.show).toBe(false);
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  it('opens a first window centred at the default size', () => {
    const window = open();
    expect(window.options).toMatchObject({ x: 360, y: 120, width: 1200, height: 800 });
  });

  it('reopens where it was, maximized if it was', () => {
    const window = open({ bounds: { x: 100, y: 50, width: 1100, height: 700 }, maximized: true });
    expect(window.options).toMatchObject({ x: 100, y: 50, width: 1100, height: 700 });
    expect(window.maximized).toBe(true);
  });

  it('saves its bounds when closed, and after moving (debounced)', async () => {
    vi.useFakeTimers();
    const window = open();
    const file = path.join(dir, 'window-state.json');
    window.bounds = { x: 10, y: 20, width: 900, height: 600 };
    window.emit('move');
    window.emit('resize');
    await vi.advanceTimersByTimeAsync(600);
    vi.useRealTimers();
    await vi.waitFor(() => expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 10, y: 20, width: 900, height: 600 }, maximized: false }));
    window.bounds = { x: 30, y: 40, width: 900, height: 600 };
    window.emit('close');
    await vi.waitFor(() => expect(JSON.parse(readFileSync(file, 'utf8')).bounds.x).toBe(30));
  });
});
