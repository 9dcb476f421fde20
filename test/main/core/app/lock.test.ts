import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, acquireLock, readLock } from '../../../../main/core/app/lock';
import { tempDir } from '../../../helpers/temp-dir';

describe('data folder lock (one writer)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('is exclusive while held, records the owner, and is free once released', async () => {
    const first = await acquireLock(dir.path);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    await first.value.update({ adminUrl: 'http://127.0.0.1:1234' });
    expect(await readLock(dir.path)).toMatchObject({ pid: process.pid, adminUrl: 'http://127.0.0.1:1234' });
    // Another holder in this process looks alive (same pid): refused.
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      import { acquireLock } from './main/core/app/lock.ts';
      const r = await acquireLock(process.argv[1]);
      console.log(JSON.stringify(r.ok ? { ok: true } : r.error));
    `, dir.path], { cwd: path.resolve(__dirname, '../../../..') });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    expect(JSON.parse(out.trim())).toMatchObject({ code: 'locked', details: { pid: process.pid } });
    await first.value.release();
    expect(await readLock(dir.path)).toBeNull();
    const again = await acquireLock(dir.path);
    expect(again.ok).toBe(true);
    if (again.ok) await again.value.release();
  });

  it('takes over a stale lock whose process is gone', async () => {
    // A pid that cannot exist (above the kernel's pid_max).
    await writeFile(path.join(dir.path, LOCK_FILE), JSON.stringify({ pid: 2 ** 30, startedAt: 'x', adminUrl: 'http://127.0.0.1:9', gatewayUrl: null }));
    expect(await readLock(dir.path)).toBeNull();
    const lock = await acquireLock(dir.path);
    expect(lock.ok).toBe(true);
    const content = JSON.parse(await readFile(path.join(dir.path, LOCK_FILE), 'utf8'));
    expect(content.pid).toBe(process.pid);
    if (lock.ok) await lock.value.release();
  });

  it('two processes racing for a stale lock: exactly one wins', async () => {
    await writeFile(path.join(dir.path, LOCK_FILE), JSON.stringify({ pid: 2 ** 30, startedAt: 'x', adminUrl: null, gatewayUrl: null }));
    const race = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
          import { acquireLock } from './main/core/app/lock.ts';
          const r = await acquireLock(process.argv[1]);
          console.log(r.ok ? 'won' : r.error.code);
          await new Promise((res) => setTimeout(res, 1500));
          if (r.ok) await r.value.release();
        `, dir.path], { cwd: path.resolve(__dirname, '../../../..') });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', () => resolve(out.trim()));
      });
    const results = await Promise.all([race(), race(), race()]);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'locked')).toHaveLength(2);
  });
});
