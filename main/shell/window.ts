/**
 * The one application window: locked down (STYLE.md 13), restored where it was, saved when it moves.
 */
import { BrowserWindow, nativeTheme, screen } from 'electron';
import type { AppLocation } from './app-protocol';
import { lockWebContents } from './security';
import { MIN_SIZE, clampToDisplays, writeWindowState, type WindowState } from './window-state';

/** What the window needs from the app. */
export interface MainWindowOptions {
  readonly location: AppLocation;
  /** Absolute path of the built preload (CommonJS: sandboxed preloads cannot be ES modules). */
  readonly preloadPath: string;
  /** The JSON file the window's size and position are kept in. */
  readonly stateFile: string;
  /** What `readWindowState(stateFile)` gave (null: first launch or an invalid file). */
  readonly savedState: WindowState | null;
  /** Development: DevTools allowed. */
  readonly isDev: boolean;
}

const SAVE_DELAY_MS = 500;

/**
 * Create the window where it was last (clamped to today's displays), start loading the app, and show it once
 * painted. Synchronous on purpose: the caller holds the window before its page can send the first IPC call.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const state = clampToDisplays(
    options.savedState,
    [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...state.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'CertGate',
    // The colour shown before the first paint: no white flash for a user on a dark theme.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1f1f1f' : '#ffffff',
    // Written out here, where reviewers and scanners (electronegativity) look: no Node in the page, its own
    // JavaScript world, the OS sandbox, web security on; middle-click cannot open windows either.
    webPreferences: {
      // Reviewed (electronegativity flags every preload): it exposes only the contract's verbs and
      // `subscribe`, never ipcRenderer; test/preload asserts that exact surface.
      preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      devTools: options.isDev,
    },
  });
  lockWebContents(window.webContents, options.location);
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  trackWindowState(window, options.stateFile);
  window.loadURL(options.location.entryUrl).catch((err: unknown) => {
    console.error(`CertGate could not load its window: ${err instanceof Error ? err.message : String(err)}`);
  });
  return window;
}

/** Save the window's normal bounds and maximized state after it moves or resizes, and when it closes. */
function trackWindowState(window: BrowserWindow, file: string): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const capture = (): WindowState => ({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  const save = (state: WindowState) => {
    writeWindowState(file, state).catch(() => {
      // Losing the window's position is harmless; the next move tries again.
    });
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!window.isDestroyed()) save(capture());
    }, SAVE_DELAY_MS);
  };
  window.on('resize', schedule);
  window.on('move', schedule);
  window.on('maximize', schedule);
  window.on('unmaximize', schedule);
  window.on('close', () => {
    if (timer) clearTimeout(timer);
    save(capture());
  });
}
