// scripts/build-cli.mjs - builds the `certgate` command to JavaScript (esbuild, well under a second):
//
//   out/cli/certgate.mjs        the entry: argument routing and help only
//   out/cli/chunks/*.mjs        one chunk per command group and per heavy part (the core, the gateway, the
//                               admin server), loaded by dynamic import() only when a command needs it
//
// ESM for Node 20; every package stays external (keytar is a native module; node_modules is where the
// packages already are), so the build is small and needs neither Electron nor the network.
//
//   node scripts/build-cli.mjs                 build (npm run build runs it after electron-vite)
//   node scripts/build-cli.mjs --if-possible   npm's prepare step: skip with a note when esbuild is not
//                                              installed (npm install --omit=dev), instead of failing
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the built CLI goes, and its entry file. */
export const CLI_OUT_DIR = path.join(root, 'out/cli');
export const CLI_ENTRY = path.join(CLI_OUT_DIR, 'certgate.mjs');
/** Which sources each output file holds (esbuild's metafile): what the lazy-loading tests read. */
export const CLI_META = path.join(CLI_OUT_DIR, 'meta.json');

/**
 * The contract's files define values and types only. Marking them free of side effects lets esbuild leave the
 * zod schemas out of every chunk that uses no schema (`--help`, `cert inspect`, the admin API client), even
 * though main imports them through the `preload/contract` barrel.
 */
const contractWithoutSideEffects = {
  name: 'certgate:contract-side-effect-free',
  setup(build) {
    const contract = path.join(root, 'preload/contract') + path.sep;
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData?.fromContractPlugin) return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { fromContractPlugin: true } });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(contract)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

/** Build the CLI into out/cli; returns esbuild's metafile (which output holds which input). */
export async function buildCli({ quiet = false } = {}) {
  const { build } = await import('esbuild');
  rmSync(CLI_OUT_DIR, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { certgate: 'main/cli/index.ts' },
    outdir: CLI_OUT_DIR,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    logLevel: quiet ? 'error' : 'warning',
    plugins: [contractWithoutSideEffects],
  });
  writeFileSync(CLI_META, JSON.stringify(result.metafile));
  return result.metafile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ifPossible = process.argv.includes('--if-possible');
  try {
    await import('esbuild');
  } catch {
    if (!ifPossible) throw new Error('esbuild is not installed: run npm install first.');
    console.warn('certgate: esbuild is not installed (a production-only install?): the CLI was not built. Run "npm install", then "npm run build:cli".');
    process.exit(0);
  }
  const started = performance.now();
  const metafile = await buildCli();
  const files = Object.keys(metafile.outputs).filter((f) => f.endsWith('.mjs'));
  console.log(`certgate CLI built: ${path.relative(root, CLI_ENTRY)} and ${files.length - 1} chunks in ${Math.round(performance.now() - started)} ms`);
}
