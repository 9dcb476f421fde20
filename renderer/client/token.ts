/**
 * The browser console's bearer token: `certgate serve` prints a URL ending in `#token=…`. The token is read
 * from the fragment once, kept in sessionStorage (gone when the tab closes) and removed from the address bar
 * so it does not end up in history, bookmarks or screenshots.
 */

const STORAGE_KEY = 'certgate.token';

/** Take the token from `#token=…` if present (stripping it from the address bar), else from sessionStorage. */
export function takeToken(location: Location = window.location, history: History = window.history, storage: Storage = window.sessionStorage): string | null {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
  if (hash.startsWith('token=')) {
    const params = new URLSearchParams(hash);
    const token = params.get('token');
    if (token) storage.setItem(STORAGE_KEY, token);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
  return storage.getItem(STORAGE_KEY);
}
