import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { fake, FakeWebContents, fakeSession } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { appLocation } = await import('../../../main/shell/app-protocol');
const { contentSecurityPolicy } = await import('../../../main/shell/csp');
const { isSafeExternalUrl, lockAllWebContents, lockSession, lockWebContents } = await import('../../../main/shell/security');

const prod = appLocation(undefined);
const dev = appLocation('http://localhost:5173/');

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name ?? '', values];
    }),
  );
}

describe('Content-Security-Policy', () => {
  it('is strict in a build: self only, no eval, no inline script, no plugins, no framing', () => {
    const csp = directives(contentSecurityPolicy(null));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicy(null)).not.toContain('unsafe-eval');
  });

  it('lets only the dev server\'s hot reload through in development', () => {
    const csp = directives(contentSecurityPolicy('http://localhost:5173'));
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(contentSecurityPolicy('http://localhost:5173')).not.toContain('unsafe-eval');
  });

  it('leaves frame-ancestors out of the <meta> variant (browsers ignore it there)', () => {
    expect(contentSecurityPolicy(null, true)).not.toContain('frame-ancestors');
  });

  it('is set on every response, replacing any policy the response had', () => {
    const { session, captured } = fakeSession();
    lockSession(session as unknown as Session, dev);
    const callback = vi.fn();
    captured.headersListener?.(
      { url: 'http://localhost:5173/', responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } },
      callback,
    );
    const headers = callback.mock.calls[0]?.[0].responseHeaders as Record<string, string[]>;
    expect(Object.keys(headers).filter((h) => h.toLowerCase() === 'content-security-policy')).toEqual(['Content-Security-Policy']);
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy('http://localhost:5173')]);
    expect(headers['Content-Type']).toEqual(['text/html']);
  });
});

describe('permissions', () => {
  it('refuses every permission request and check', () => {
    const { session, captured } = fakeSession();
    lockSession(session as unknown as Session, prod);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      captured.permissionRequest?.({}, permission, callback, { requestingUrl: 'app://certgate/index.html' });
      expect(callback).toHaveBeenCalledWith(false);
      expect(captured.permissionCheck?.({}, permission, 'app://certgate', {})).toBe(false);
    }
    expect(captured.devicePermission?.({ deviceType: 'usb' })).toBe(false);
  });
});

describe('external links', () => {
  it.each([
    ['https://learn.microsoft.com/azure/api-management/', true],
    ['https://example.com:8443/a?b=c#d', true],
    ['http://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['https://user:pass@example.com/', false],
    ['https://user@example.com/', false],
    ['not a url', false],
    [`https://example.com/${'a'.repeat(3000)}`, false],
  ])('%s → %s', (url, safe) => {
    expect(isSafeExternalUrl(url)).toBe(safe);
  });
});

describe('navigation and new windows', () => {
  let contents: FakeWebContents;
  beforeEach(() => {
    contents = new FakeWebContents();
    fake.openExternal.mockClear();
    lockWebContents(contents as unknown as WebContents, prod);
  });

  function navigate(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string): boolean {
    const preventDefault = vi.fn();
    contents.emit(event, { url, preventDefault });
    return preventDefault.mock.calls.length > 0;
  }

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'] as const)('%s away from the app is cancelled', (event) => {
    expect(navigate(event, 'https://evil.example/')).toBe(true);
    expect(navigate(event, 'file:///etc/passwd')).toBe(true);
    expect(navigate(event, 'app://other/index.html')).toBe(true);
    expect(navigate(event, 'app://certgate/index.html#/certificates')).toBe(false);
  });

  it('never opens a window; a safe https link goes to the default browser', () => {
    const handler = contents.windowOpenHandler;
    expect(handler).not.toBeNull();
    expect(handler?.({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(fake.openExternal).toHaveBeenCalledWith('https://example.com/docs');
    for (const url of ['http://example.com/', 'file:///C:/Windows/System32/calc.exe', 'https://a:b@example.com/', 'app://certgate/index.html']) {
      expect(handler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.openExternal).toHaveBeenCalledTimes(1);
  });

  it('refuses <webview> attachment', () => {
    const preventDefault = vi.fn();
    contents.emit('will-attach-webview', { preventDefault }, {}, {});
    expect(preventDefault).toHaveBeenCalled();
  });
});

describe('every web contents', () => {
  it('locks each web contents the app creates, not only the main window\'s', async () => {
    const { EventEmitter } = await import('node:events');
    const app = new EventEmitter();
    lockAllWebContents(app as unknown as Parameters<typeof lockAllWebContents>[0], prod);
    const other = new FakeWebContents('app://certgate/index.html');
    expect(other.listenerCount('will-navigate')).toBe(0);
    app.emit('web-contents-created', {}, other);
    const preventDefault = vi.fn();
    other.emit('will-navigate', { url: 'https://evil.example/', preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(other.windowOpenHandler?.({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    const webview = vi.fn();
    other.emit('will-attach-webview', { preventDefault: webview }, {}, {});
    expect(webview).toHaveBeenCalled();
  });

  it('locks a contents once, however often it is handed over', () => {
    const contents = new FakeWebContents();
    lockWebContents(contents as unknown as WebContents, prod);
    lockWebContents(contents as unknown as WebContents, prod);
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});

describe('app location', () => {
  it('knows its own pages in a build', () => {
    expect(prod.entryUrl).toBe('app://certgate/index.html');
    expect(prod.isAppUrl('app://certgate/index.html')).toBe(true);
    expect(prod.isAppUrl('app://certgate/')).toBe(true);
    expect(prod.isAppUrl('app://certgate.evil/index.html')).toBe(false);
    expect(prod.isAppUrl('app://x@certgate/index.html')).toBe(false);
    expect(prod.isAppUrl('https://certgate/index.html')).toBe(false);
    expect(prod.isAppUrl('file:///index.html')).toBe(false);
    expect(prod.isAppUrl('about:blank')).toBe(false);
  });

  it('knows its own pages in development', () => {
    expect(dev.entryUrl).toBe('http://localhost:5173/');
    expect(dev.isAppUrl('http://localhost:5173/index.html')).toBe(true);
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isAppUrl('app://certgate/index.html')).toBe(false);
  });

  it('ignores a dev server URL that is not http(s)', () => {
    expect(appLocation('file:///tmp/index.html').entryUrl).toBe('app://certgate/index.html');
  });
});
