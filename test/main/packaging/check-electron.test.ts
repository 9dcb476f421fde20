/**
 * `npm start` without Electron's binary (no network at install, ELECTRON_SKIP_BINARY_DOWNLOAD=1): the
 * check that runs first says what is missing, how to get it and how to use the console in a browser,
 * and exits 1 before electron-vite prints "Electron uninstall" and a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary, missingElectronMessage } from '../../../scripts/check-electron.mjs';
import { useTempDir } from '../../helpers/temp-dir';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/check-electron.mjs');

const dir = useTempDir();

/** A project folder with the check script and an electron package as npm leaves it (binary or not). */
function project(name: string, electron: { binary: boolean; pathTxt: boolean } | null): string {
  const root = path.join(dir.path, name);
  mkdirSync(path.join(root, 'scripts'), { recursive: true });
  copyFileSync(SCRIPT, path.join(root, 'scripts/check-electron.mjs'));
  if (electron) {
    const pkg = path.join(root, 'node_modules/electron');
    mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0', main: 'index.js' }));
    // The real index.js would start a download when required: the check must never require it.
    writeFileSync(path.join(pkg, 'index.js'), 'throw new Error("the check required electron: that starts a download");\n');
    if (electron.pathTxt) writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    if (electron.binary) writeFileSync(path.join(pkg, 'dist/electron'), '');
  }
  return root;
}

function check(root: string, env: NodeJS.ProcessEnv = {}): { code: number | null; stderr: string; stdout: string } {
  const env0 = { ...process.env, ...env };
  if (!('ELECTRON_OVERRIDE_DIST_PATH' in env)) delete env0.ELECTRON_OVERRIDE_DIST_PATH;
  const r = spawnSync(process.execPath, ['scripts/check-electron.mjs'], { cwd: root, encoding: 'utf8', env: env0 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('scripts/check-electron.mjs', () => {
  it('the package without its binary (path.txt never written): what is missing, how to get it, the browser way, exit 1', () => {
    const r = check(project('no-download', { binary: false, pathTxt: false }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Electron 45.5.0');
    expect(r.stderr).toContain('node_modules/electron/path.txt is missing');
    expect(r.stderr).toContain('npm install');
    expect(r.stderr).toContain('ELECTRON_MIRROR=');
    expect(r.stderr).toContain('npm run build && npx certgate serve');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('starts a download');
  });

  it('path.txt written but the binary gone, and no electron package at all: each says what is missing', () => {
    const gone = check(project('binary-gone', { binary: false, pathTxt: true }));
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/its binary is missing \(.*node_modules\/electron\/dist\/electron does not exist\)/);
    const none = check(project('no-package', null));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('the electron package is not installed');
  });

  it('passes silently when the binary is there, or when ELECTRON_OVERRIDE_DIST_PATH points at one', () => {
    expect(check(project('installed', { binary: true, pathTxt: true }))).toMatchObject({ code: 0, stderr: '', stdout: '' });
    const override = path.join(dir.path, 'override');
    mkdirSync(override, { recursive: true });
    writeFileSync(path.join(override, 'electron'), '');
    expect(check(project('override', { binary: false, pathTxt: true }), { ELECTRON_OVERRIDE_DIST_PATH: override }).code).toBe(0);
    expect(check(project('override-wrong', { binary: false, pathTxt: true }), { ELECTRON_OVERRIDE_DIST_PATH: path.join(dir.path, 'nowhere') }).stderr).toContain('ELECTRON_OVERRIDE_DIST_PATH is set');
  });

  it('agrees with the real package here, and npm start stops at it when the binary is missing', () => {
    const electronDir = path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve('electron/package.json'));
    const status = electronBinary(electronDir, {});
    const real = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    expect(real.status).toBe(status.ok ? 0 : 1);
    if (status.ok) return; // A machine with Electron installed: npm start would open the app, not for a test.
    expect(real.stderr).toBe(`${missingElectronMessage(status)}\n`);
    const start = spawnSync('npm', ['start', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(start.status).not.toBe(0);
    expect(start.stderr).toContain('npm run build && npx certgate serve');
    expect(start.stderr + start.stdout).not.toContain('Electron uninstall');
  });
});
