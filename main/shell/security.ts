/**
 * The window's locks (STYLE.md 13): CSP on every response, every permission denied, no navigation away from
 * the app, no new windows; an https link the user follows opens in the default browser after a URL check.
 */
import { shell, type App, type Session, type WebContents } from 'electron';
import type { AppLocation } from './app-protocol';
import { contentSecurityPolicy } from './csp';

/** Longest URL handed to the OS browser: enough for any real link, too short to smuggle a payload. */
const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * Whether a URL may be handed to the OS: https only (no file:, custom protocol handlers or javascript:),
 * with a host and without user name or password.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
}

/**
 * Lock a session: the CSP header on every response it receives (the dev server's pages; `app://` pages carry
 * it themselves since header hooks do not run for custom schemes), and every permission refused, asked or checked.
 */
export function lockSession(session: Session, location: AppLocation): void {
  const policy = contentSecurityPolicy(location.devOrigin);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Contents already locked (the main window's is locked when created and again as a created web contents). */
const locked = new WeakSet<WebContents>();

/**
 * Lock every web contents the app ever creates, not only the main window's: a devtools page, a <webview>
 * or a popup a future change lets through get the same navigation and window-open rules. Call before `ready`
 * ends, before any window exists.
 */
export function lockAllWebContents(app: Pick<App, 'on'>, location: AppLocation): void {
  app.on('web-contents-created', (_event, contents) => lockWebContents(contents, location));
}

/**
 * Lock a window's contents: navigations and redirects that leave the app are cancelled, `window.open` never
 * creates a window (a safe https link opens in the default browser instead), and <webview> cannot attach.
 */
export function lockWebContents(contents: WebContents, location: AppLocation): void {
  if (locked.has(contents)) return;
  locked.add(contents);
  contents.on('will-navigate', (event) => {
    if (!location.isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!location.isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!location.isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      // Reviewed (electronegativity flags every non-literal URL): only https URLs without credentials,
      // at most 2,048 characters, reach this line (isSafeExternalUrl, unit-tested).
      shell.openExternal(url).catch(() => { // eng-disable OPEN_EXTERNAL_JS_CHECK
        // No default browser or the OS refused: nothing to do, and the link's address is not logged.
      });
    }
    return { action: 'deny' };
  });
}
