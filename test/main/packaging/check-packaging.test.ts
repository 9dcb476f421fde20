import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBuildOutputs, checkPackagingRules, runtimeImports, validateBuilderConfig } from '../../../scripts/check-packaging.mjs';

const ROOT = path.resolve(import.meta.dirname, '../../..');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'certgate-packaging-test-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('electron-builder.yml', () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    expect(validateBuilderConfig().errors).toEqual([]);
  });

  it('keeps CertGate\'s packaging rules (targets, per-user NSIS, hardened runtime, fuses, icons)', () => {
    expect(checkPackagingRules(validateBuilderConfig().config)).toEqual([]);
  });

  it('the schema check catches a mistake', () => {
    const file = path.join(tmp, 'bad.yml');
    const text = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    writeFileSync(file, `${text}\nnsiss:\n  oneClick: false\n`.replace('perMachine: false', 'perMachine: "no"'));
    const { errors } = validateBuilderConfig(file);
    expect(errors.join('\n')).toMatch(/additional properties|must be boolean/);
  });

  it('the rules catch a per-machine installer', () => {
    const { config } = validateBuilderConfig();
    const nsis = { ...(config.nsis as object), perMachine: true };
    expect(checkPackagingRules({ ...config, nsis })).toContain('NSIS: per-user, assisted installer');
  });
});

describe('build output checks', () => {
  it('refuse an ES-module preload that requires a package', () => {
    const root = path.join(tmp, 'app');
    for (const dir of ['out/main', 'out/preload', 'out/renderer']) mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, 'out/main/index.js'), 'import { z } from "zod";\nimport path from "node:path";\nimport { app } from "electron";\n');
    writeFileSync(path.join(root, 'out/preload/index.cjs'), 'import x from "y";\nconst z = require("zod");\n');
    writeFileSync(path.join(root, 'out/renderer/index.html'), '<!doctype html><title>x</title>');
    const problems = checkBuildOutputs(root).join('\n');
    expect(problems).toMatch(/missing out\/main\/gateway-host\.js/);
    expect(problems).toMatch(/not CommonJS/);
    expect(problems).toMatch(/requires zod/);
    expect(problems).toMatch(/no Content-Security-Policy/);
    expect(runtimeImports(path.join(root, 'out/main'))).toEqual(['zod']);
  });
});

describe('node scripts/check-packaging.mjs', () => {
  it('builds, packages for Linux around a stand-in Electron, and finds the asar complete', { timeout: 600_000 }, () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-packaging.mjs')], { cwd: ROOT, encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    expect(output, output).toMatch(/✓ packaged app: asar content, keytar.node unpacked, fuses flipped/);
    expect(run.status, output).toBe(0);
  });
});
