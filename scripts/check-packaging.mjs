#!/usr/bin/env node
/**
 * Checks CertGate's packaging offline, on any OS with Node (CI runs it before building installers):
 *   1. electron-builder.yml is valid against app-builder-lib's own JSON schema (ajv) and keeps our rules;
 *   2. `electron-vite build` produces the entries the app loads (a sandbox-ready CommonJS preload, a CSP'd page);
 *   3. `electron-builder --linux --dir` packages the app around a stand-in Electron binary (the real one
 *      cannot be downloaded here), then the asar holds what it must and nothing it must not, keytar's
 *      native binding sits in app.asar.unpacked, and the Electron fuses were flipped.
 * Usage: node scripts/check-packaging.mjs [--skip-build] [--keep]. Exit code 1 when any check fails.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv from 'ajv';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// Tools electron-builder itself depends on, resolved through it so no extra dependency is needed.
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const yaml = builderRequire('js-yaml');
const asar = builderRequire('@electron/asar');
const fuses = builderRequire('@electron/fuses');

/** Parse electron-builder.yml and validate it against app-builder-lib's scheme.json. */
export function validateBuilderConfig(configPath = path.join(ROOT, 'electron-builder.yml')) {
  const config = yaml.load(readFileSync(configPath, 'utf8'));
  const schema = JSON.parse(readFileSync(builderRequire.resolve('app-builder-lib/scheme.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const validate = ajv.compile(schema);
  const valid = validate(config);
  const errors = valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  return { config, errors };
}

function targetsOf(platformConfig) {
  return (platformConfig?.target ?? []).map((t) => (typeof t === 'string' ? { target: t, arch: [] } : t));
}

/** CertGate's own packaging rules (DESIGN.md "Packaging"), beyond what the schema can say. */
export function checkPackagingRules(config) {
  const problems = [];
  const expect = (condition, message) => {
    if (!condition) problems.push(message);
  };
  const hasTarget = (platform, name, arches) => {
    const t = targetsOf(config[platform]).find((x) => x.target === name);
    return t !== undefined && arches.every((a) => (t.arch ?? []).includes(a));
  };
  expect(config.appId === 'dev.certgate.console', 'appId must be dev.certgate.console');
  expect(config.productName === 'CertGate', 'productName must be CertGate');
  expect(hasTarget('win', 'nsis', ['x64', 'arm64']), 'Windows: NSIS for x64 and arm64');
  expect(config.nsis?.perMachine === false && config.nsis?.oneClick === false, 'NSIS: per-user, assisted installer');
  expect(config.nsis?.deleteAppDataOnUninstall === false, 'NSIS: uninstall keeps the data folder');
  expect(hasTarget('mac', 'dmg', ['x64', 'arm64']) && hasTarget('mac', 'zip', ['x64', 'arm64']), 'macOS: DMG and ZIP for x64 and arm64');
  expect(config.mac?.hardenedRuntime === true, 'macOS: hardened runtime');
  expect(typeof config.mac?.entitlements === 'string' && existsSync(path.join(ROOT, config.mac.entitlements)), 'macOS: entitlements file exists');
  expect(config.mac?.notarize === true, 'macOS: notarization on (credentials come from the environment)');
  expect(hasTarget('linux', 'AppImage', []) && hasTarget('linux', 'deb', []), 'Linux: AppImage and deb');
  expect((config.asarUnpack ?? []).some((p) => p.endsWith('*.node')), 'asarUnpack covers native modules (*.node)');
  expect(config.electronFuses?.runAsNode === false, 'fuse: runAsNode off');
  expect(config.electronFuses?.onlyLoadAppFromAsar === true, 'fuse: onlyLoadAppFromAsar on');
  for (const platform of ['win', 'mac', 'linux']) {
    const icon = config[platform]?.icon;
    expect(typeof icon === 'string' && existsSync(path.join(ROOT, icon)), `${platform}: icon file exists`);
  }
  return problems;
}

/** Run electron-vite's production build. */
export function buildApp() {
  const cli = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const run = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

/** Check what the build wrote: the files Electron loads, in the form it needs. */
export function checkBuildOutputs(root = ROOT) {
  const problems = [];
  for (const file of ['out/main/index.js', 'out/main/gateway-host.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    if (!existsSync(path.join(root, file))) problems.push(`missing ${file}`);
  }
  const preloadFile = path.join(root, 'out/preload/index.cjs');
  if (existsSync(preloadFile)) {
    const preload = readFileSync(preloadFile, 'utf8');
    if (/^\s*(import|export)\s/m.test(preload)) problems.push('out/preload/index.cjs is not CommonJS (a sandboxed preload cannot be an ES module)');
    const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    const foreign = required.filter((name) => name !== 'electron');
    if (foreign.length > 0) problems.push(`the sandboxed preload requires ${foreign.join(', ')}: only 'electron' is available there`);
  }
  const pageFile = path.join(root, 'out/renderer/index.html');
  if (existsSync(pageFile) && !/http-equiv="Content-Security-Policy"/.test(readFileSync(pageFile, 'utf8'))) {
    problems.push('out/renderer/index.html has no Content-Security-Policy meta tag');
  }
  return problems;
}

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's default fuse wire (RunAsNode … GrantFileProtocolExtraPrivileges), as a real binary ships it.
const DEFAULT_FUSES = '10110001';

/** A folder holding a stand-in `electron` executable that carries a fuse wire, for electronDist. */
export function makeStubElectronDist(dir) {
  const stub = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "CertGate packaging check: stand-in for the Electron binary" >&2\nexit 1\n# '),
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, DEFAULT_FUSES.length]),
    Buffer.from(DEFAULT_FUSES, 'ascii'),
    Buffer.from('\n'),
  ]);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'electron');
  writeFileSync(file, stub);
  chmodSync(file, 0o755);
  return dir;
}

/** Package for Linux as a plain folder around the stand-in binary; returns the unpacked app folder. */
export function packageLinuxDir(workDir) {
  const dist = makeStubElectronDist(path.join(workDir, 'electron-dist'));
  const output = path.join(workDir, 'release');
  const cli = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  const args = [
    cli, '--linux', '--dir', '--x64', '--publish', 'never', '--projectDir', ROOT,
    `-c.electronDist=${dist}`,
    // Rebuilding keytar against Electron's headers needs a download; the installed binding is packaged as is.
    '-c.npmRebuild=false',
    `-c.directories.output=${output}`,
  ];
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
  });
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}`, appDir: path.join(output, 'linux-unpacked') };
}

/** Check the packaged app: asar content, unpacked native module, flipped fuses. */
export function checkPackage(appDir, config) {
  const problems = [];
  const archive = path.join(appDir, 'resources', 'app.asar');
  if (!existsSync(archive)) return [`no ${archive}`];
  const entries = new Set(asar.listPackage(archive, { isPack: false }).map((e) => e.replaceAll('\\', '/')));
  const must = [
    '/package.json',
    '/out/main/index.js',
    '/out/main/gateway-host.js',
    '/out/preload/index.cjs',
    '/out/renderer/index.html',
    // Every package the built main process imports at run time must be in the archive.
    ...runtimeImports(path.join(ROOT, 'out/main')).map((name) => `/node_modules/${name}/package.json`),
  ];
  for (const entry of must) if (!entries.has(entry)) problems.push(`app.asar lacks ${entry}`);
  const packedMain = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')).main;
  if (!entries.has(`/${packedMain}`)) problems.push(`package.json "main" (${packedMain}) is not in app.asar`);

  const forbidden = [
    /^\/(main|preload|renderer|test|scripts|bench|build)\//,
    /^\/node_modules\/(electron|electron-vite|electron-builder|vite|vitest|typescript|react|react-dom|tsx|esbuild|@esbuild)\//,
  ];
  const leaked = [...entries].filter((e) => forbidden.some((re) => re.test(e)));
  if (leaked.length > 0) problems.push(`app.asar holds sources or dev dependencies: ${leaked.slice(0, 5).join(', ')}${leaked.length > 5 ? ', …' : ''}`);

  const keytarNode = path.join(appDir, 'resources', 'app.asar.unpacked', 'node_modules', 'keytar', 'build', 'Release', 'keytar.node');
  if (!existsSync(keytarNode)) problems.push('keytar.node is not in app.asar.unpacked/node_modules/keytar/build/Release');
  for (const entry of entries) {
    if (entry.endsWith('.node') && !asar.statFile(archive, entry.slice(1)).unpacked) problems.push(`${entry} is packed inside app.asar (native modules must be unpacked)`);
  }

  const executable = path.join(appDir, config.linux?.executableName ?? config.productName);
  if (!existsSync(executable)) {
    problems.push(`no executable ${executable}`);
  } else {
    const wire = readFuseWire(executable);
    const want = { 0: '0', 1: '1', 2: '0', 3: '0', 4: '1', 5: '1', 7: '0' };
    for (const [index, state] of Object.entries(want)) {
      if (wire[index] !== state) problems.push(`fuse ${fuses.FuseV1Options[index]} is ${wire[index]}, expected ${state}`);
    }
  }
  return problems;
}

/** The packages the built main-process files import (bare specifiers, minus Node built-ins and electron). */
export function runtimeImports(dir) {
  const names = new Set();
  const files = readdirSync(dir, { recursive: true }).filter((f) => /\.(m?js|cjs)$/.test(String(f)));
  for (const file of files) {
    const code = readFileSync(path.join(dir, String(file)), 'utf8');
    const specifiers = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["']([^"']+)["']/gm)].map((m) => m[1]);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier === 'electron' || specifier.startsWith('electron/')) continue;
      // Only valid package names: text such as `differ from "${id}"` inside a message is not an import.
      if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(\/[^\s]*)?$/.test(specifier)) continue;
      const parts = specifier.split('/');
      const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      if (!builtinModules.includes(name)) names.add(name);
    }
  }
  return [...names].sort();
}

function readFuseWire(file) {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
  const length = bytes[at + 1];
  return bytes.subarray(at + 2, at + 2 + length).toString('ascii');
}

async function main(argv) {
  const skipBuild = argv.includes('--skip-build');
  const keep = argv.includes('--keep');
  let failed = false;
  const report = (title, problems, detail) => {
    if (problems.length === 0) {
      console.log(`✓ ${title}`);
      return true;
    }
    failed = true;
    console.log(`✗ ${title}`);
    for (const p of problems) console.log(`    - ${p}`);
    if (detail) console.log(detail.split('\n').slice(-40).map((l) => `    | ${l}`).join('\n'));
    return false;
  };

  const { config, errors } = validateBuilderConfig();
  report('electron-builder.yml is valid against app-builder-lib/scheme.json', errors);
  report('electron-builder.yml keeps CertGate\'s packaging rules', checkPackagingRules(config));

  if (!skipBuild) {
    const build = buildApp();
    if (!report('electron-vite build', build.ok ? [] : ['the build failed'], build.ok ? '' : build.output)) return 1;
  }
  if (!report('build outputs (main, gateway host, CommonJS preload, renderer with CSP)', checkBuildOutputs())) return 1;

  const work = mkdtempSync(path.join(os.tmpdir(), 'certgate-packaging-'));
  try {
    const packaged = packageLinuxDir(work);
    if (!report('electron-builder --linux --dir (stand-in Electron binary)', packaged.ok ? [] : ['electron-builder failed'], packaged.ok ? '' : packaged.output)) return 1;
    report('packaged app: asar content, keytar.node unpacked, fuses flipped', checkPackage(packaged.appDir, config));
    if (keep) console.log(`  (kept ${packaged.appDir})`);
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`✗ check-packaging crashed: ${err instanceof Error ? err.stack : String(err)}`);
      process.exit(1);
    },
  );
}
