/**
 * `certgate` runs compiled JavaScript (out/cli, built by scripts/build-cli.mjs) and loads only what a
 * command needs. Each command runs as a user runs it (bin/certgate.mjs), with a loader hook that records
 * every module it loads (test/helpers/module-log.mjs); esbuild's metafile maps each built chunk back to
 * the sources it holds, so the tests name sources and packages, not chunk hashes.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_META } from '../../../scripts/build-cli.mjs';
import { startCertgate } from '../../helpers/cli';
import { makeClientPfx, type MadeCertificate } from '../../helpers/openssl';
import { tempDir } from '../../helpers/temp-dir';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'bin/certgate.mjs');

interface Loaded {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Packages loaded from node_modules (by package name). */
  readonly packages: ReadonlySet<string>;
  /** Sources (repository paths) of every built chunk loaded. */
  readonly sources: ReadonlySet<string>;
}

let dir: Awaited<ReturnType<typeof tempDir>>;
let pfx: MadeCertificate;
let meta: { outputs: Record<string, { inputs: Record<string, unknown> }> };

/** Run the built certgate, recording which modules it loads. */
async function run(args: readonly string[], stdin = ''): Promise<Loaded> {
  const log = path.join(dir.path, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const child = spawn(process.execPath, ['--import', path.join(ROOT, 'test/helpers/module-log.mjs'), BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, CERTGATE_MODULE_LOG: log, CERTGATE_DATA_DIR: path.join(dir.path, 'data') },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const urls = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
  const packages = new Set<string>();
  const sources = new Set<string>();
  for (const url of urls) {
    const file = fileURLToPath(url);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
    if (pkg) packages.add(pkg);
    const output = path.relative(ROOT, file).split(path.sep).join('/');
    for (const source of Object.keys(meta.outputs[output]?.inputs ?? {})) sources.add(source);
  }
  return { code, stdout, stderr, packages, sources };
}

beforeAll(async () => {
  dir = await tempDir();
  pfx = makeClientPfx(dir.path, 'client1', 'pw');
  meta = JSON.parse(readFileSync(CLI_META, 'utf8'));
});
afterAll(async () => dir.remove());

describe('the built certgate', () => {
  it('--help loads the command table only: no package, no command, no core', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: certgate <command>');
    expect([...r.packages]).toEqual([]);
    expect([...r.sources].filter((s) => !/^main\/cli\/(index|output|text|package-root)\.ts$/.test(s) && !s.startsWith('preload/contract/'))).toEqual([]);
  });

  it('cert --help loads the cert commands, still no package and nothing of the core but small helpers', async () => {
    const r = await run(['cert', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: certgate cert <command>');
    expect([...r.packages]).toEqual([]);
    expect([...r.sources].filter((s) => s.startsWith('main/core/') && !/^main\/core\/(app\/(lock|paths|passphrase-file)|admin-http\/token)\.ts$/.test(s))).toEqual([]);
  });

  it('cert inspect loads the parser alone: no zod, lowdb, keytar or node-forge for a modern PFX', async () => {
    const r = await run(['cert', 'inspect', pfx.pfxPath, '--password-stdin', '--json'], 'pw');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).commonName).toBe('client1');
    expect([...r.packages]).toEqual([]);
    expect(r.sources.has('main/core/certificates/parse.ts')).toBe(true);
    expect([...r.sources].filter((s) => /^main\/core\/(services|store|vault|gateway|admin-http\/server)/.test(s))).toEqual([]);
  });

  it('cert list opens the core on the files without the gateway, the admin server, undici or ws', async () => {
    const r = await run(['cert', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.sources.has('main/core/app/core.ts')).toBe(true);
    for (const heavy of ['main/core/gateway/gateway.ts', 'main/core/admin-http/server.ts', 'main/cli/tools/echo-backend.ts', 'main/cli/commands/serve.ts']) {
      expect(r.sources.has(heavy), heavy).toBe(false);
    }
    for (const pkg of ['undici', 'ws', 'yaml', '@readme/openapi-parser', 'keytar']) expect(r.packages.has(pkg), pkg).toBe(false);
  });

  it('--version reads package.json from the build folder', async () => {
    const r = await run(['--version']);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('serve finds the built console from its chunk (out/renderer), or says how to build it', async () => {
    const serve = await startCertgate(['serve', '--port', '0', '--admin-port', '0', '--data-dir', path.join(dir.path, 'serve-data')], /APIs: [^\n]*\n/);
    try {
      expect(serve.output).toMatch(/Console: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+|not built yet; run "npm run build")/);
      const built = (() => {
        try {
          return readFileSync(path.join(ROOT, 'out/renderer/index.html')).length > 0;
        } catch {
          return false;
        }
      })();
      expect(serve.output.includes('Console: http'), 'Console URL printed exactly when out/renderer is built').toBe(built);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  it('holds no package: every dependency (keytar above all, a native module) stays external', () => {
    const inputs = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
    expect(inputs.filter((i) => i.includes('node_modules'))).toEqual([]);
    const bundle = Object.keys(meta.outputs)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(path.join(ROOT, f), 'utf8'))
      .join('\n');
    expect(bundle).toMatch(/import\(["']keytar["']\)/);
  });
});

describe('bin/certgate.mjs', () => {
  it('without a build says exactly what to run, with no stack trace', async () => {
    const copy = path.join(dir.path, 'fresh-clone');
    mkdirSync(path.join(copy, 'bin'), { recursive: true });
    copyFileSync(BIN, path.join(copy, 'bin/certgate.mjs'));
    const child = spawn(process.execPath, [path.join(copy, 'bin/certgate.mjs'), '--help'], { cwd: copy });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('not built yet');
    expect(stderr).toContain('npm run build:cli');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('is the built CLI, not TypeScript through tsx: tsx is a devDependency only', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(pkg.dependencies?.tsx).toBeUndefined();
    expect(pkg.devDependencies?.tsx).toBeDefined();
    expect(pkg.scripts?.prepare).toContain('scripts/build-cli.mjs');
    expect(pkg.scripts?.build).toContain('scripts/build-cli.mjs');
    expect(readFileSync(BIN, 'utf8')).not.toContain('tsx');
  });
});
