/**
 * The release workflow walks the packaged app on every OS before anything is published. The walk itself
 * (test/electron/walk.test.ts) needs a real Electron and runs only there; here the workflow is parsed with a
 * real YAML parser and held to that shape, and `npm test` is shown not to pick the walk up.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import vitestConfig from '../../../vitest.config';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const WALK = 'npx vitest run --config test/electron/vitest.config.ts';

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly if?: string;
}
interface Job {
  readonly needs?: string | readonly string[];
  readonly 'runs-on': string;
  readonly steps: readonly Step[];
  readonly strategy?: { readonly matrix: { readonly include: readonly { readonly os: string }[] } };
}

const workflow = parse(readFileSync(path.join(ROOT, '.github/workflows/release.yml'), 'utf8'), { strict: true, uniqueKeys: true }) as {
  jobs: Record<string, Job>;
};

describe('.github/workflows/release.yml', () => {
  const installers = workflow.jobs.installers;

  it('packages on Windows, macOS and Linux', () => {
    expect(installers?.strategy?.matrix.include.map((m) => m.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
  });

  it('walks the packaged app on every OS after packaging and before the installers are handed on', () => {
    const steps = installers?.steps ?? [];
    const packaged = steps.findIndex((s) => s.run?.includes('electron-builder'));
    const walks = steps.map((s, i) => ({ s, i })).filter(({ s }) => s.run?.includes(WALK));
    const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact') && s.if === undefined);
    expect(packaged).toBeGreaterThanOrEqual(0);
    expect(walks.map(({ s }) => s.if).sort()).toEqual(["runner.os != 'Linux'", "runner.os == 'Linux'"]);
    for (const { i } of walks) {
      expect(i).toBeGreaterThan(packaged);
      expect(i).toBeLessThan(upload);
    }
    const linux = walks.find(({ s }) => s.if === "runner.os == 'Linux'")?.s.run ?? '';
    expect(linux).toMatch(/xvfb-run -a dbus-run-session/);
    expect(linux).toContain('gnome-keyring-daemon --unlock');
  });

  it('publishes only after every installers job (and so every walk) passed', () => {
    expect([workflow.jobs['draft-release']?.needs].flat()).toEqual(['installers']);
  });

  it('the walk exists, and npm test does not run it (it needs a real Electron)', () => {
    expect(existsSync(path.join(ROOT, 'test/electron/walk.test.ts'))).toBe(true);
    const includes = (vitestConfig.test?.projects ?? []).flatMap((p) => (typeof p === 'object' && 'test' in p ? (p.test?.include ?? []) : []));
    expect(includes.length).toBeGreaterThan(0);
    expect(includes.filter((glob) => glob.startsWith('test/electron') || glob.startsWith('test/**'))).toEqual([]);
  });
});
