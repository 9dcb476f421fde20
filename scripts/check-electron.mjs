// scripts/check-electron.mjs - runs before `npm start` and `npm run dev`: is Electron's binary installed?
//
// npm installs the electron package, whose own install step then downloads the binary. Without network
// access to that download (or with ELECTRON_SKIP_BINARY_DOWNLOAD=1, as in CI) the package is there but the
// binary is not, and electron-vite fails with "Electron uninstall" and a stack trace. This says what is
// missing, how to get it, and how to use the console without it, then exits 1.
//
// It reads the package's files itself: `require('electron')` from Node would start the download.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where Electron's binary is, or what is missing. `electronDir` is node_modules/electron (null: not
 * installed at all); `env` for ELECTRON_OVERRIDE_DIST_PATH, which the electron package honours too.
 */
export function electronBinary(electronDir, env = process.env) {
  if (electronDir === null) return { ok: false, version: null, missing: 'the electron package is not installed (node_modules/electron is missing)' };
  const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(binary) ? { ok: true, version, binary } : { ok: false, version, missing: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist` };
  }
  if (relative === null) return { ok: false, version, missing: 'its binary was never downloaded (node_modules/electron/path.txt is missing)' };
  const binary = path.join(electronDir, 'dist', relative);
  if (!existsSync(binary)) return { ok: false, version, missing: `its binary is missing (${binary} does not exist)` };
  return { ok: true, version, binary };
}

/** What to tell the operator when the binary is missing. */
export function missingElectronMessage(status) {
  const version = status.version ? ` ${status.version}` : '';
  return [
    `The desktop app needs Electron${version}, and it cannot start: ${status.missing}.`,
    '',
    'Get the binary with one of:',
    '  node node_modules/electron/install.js   downloads it (needs network access to Electron\'s releases;',
    '                                          npm install runs the same step unless ELECTRON_SKIP_BINARY_DOWNLOAD=1)',
    '  ELECTRON_MIRROR=<mirror URL> node node_modules/electron/install.js',
    '                                          the same through a mirror or proxy of Electron\'s releases',
    'then run "npm start" again (or "npx electron-vite preview").',
    '',
    'Or use the same console in a browser, without Electron:',
    '  npm run build && npx certgate serve',
    'and open the "Console:" URL it prints.',
  ].join('\n');
}

/** node_modules/electron as Node resolves it from here, or null. */
function electronDirFromHere() {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const status = electronBinary(electronDirFromHere());
  if (!status.ok) {
    process.stderr.write(`${missingElectronMessage(status)}\n`);
    process.exit(1);
  }
}
