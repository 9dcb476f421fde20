import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it('a stale lock naming our own pid (PID 1 in a container, an earlier run) does not lock us out', async () => {
    for (const stale of [
      { pid: process.pid, startedAt: 'earlier', token: 'an-earlier-run', processStart: null, adminUrl: null, gatewayUrl: null },
      // Written before locks carried a token.
      { pid: process.pid, startedAt: 'earlier', adminUrl: 'http://127.0.0.1:9', gatewayUrl: null },
    ]) {
      await writeFile(path.join(dir.path, LOCK_FILE), JSON.stringify(stale));
      expect(await readLock(dir.path)).toBeNull();
      const lock = await acquireLock(dir.path);
      expect(lock.ok).toBe(true);
      if (!lock.ok) return;
      // The lock now held is ours, and a second taker in this same process is refused.
      expect((await readLock(dir.path))?.startedAt).not.toBe('earlier');
      const second = await acquireLock(dir.path);
      expect(!second.ok && second.error.code).toBe('locked');
      await lock.value.release();
      expect(await readLock(dir.path)).toBeNull();
    }
  });

  it.runIf(process.platform === 'linux')('a live process that reuses a dead owner\'s pid is not the owner (start time differs)', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const pid = child.pid!;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
      const lock = (processStart: string) => ({ pid, startedAt: 'x', token: 'theirs', processStart, adminUrl: null, gatewayUrl: null });
      await writeFile(path.join(dir.path, LOCK_FILE), JSON.stringify(lock(start!)));
      expect(await readLock(dir.path)).toMatchObject({ pid });
      const refused = await acquireLock(dir.path);
      expect(!refused.ok && refused.error.code).toBe('locked');
      await writeFile(path.join(dir.path, LOCK_FILE), JSON.stringify(lock(`${start}0`)));
      expect(await readLock(dir.path)).toBeNull();
      const taken = await acquireLock(dir.path);
      expect(taken.ok).toBe(true);
      if (taken.ok) await taken.value.release();
    } finally {
      child.kill();
    }
  });
});
