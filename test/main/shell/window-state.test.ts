import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  clampToDisplays,
  parseWindowState,
  readWindowState,
  writeWindowState,
} from '../../../main/shell/window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const rightMonitor = { x: 1440, y: -200, width: 2560, height: 1400 };

describe('parseWindowState', () => {
  it('accepts a well-formed state (rounded)', () => {
    expect(parseWindowState({ bounds: { x: 10.4, y: 20, width: 900, height: 600.6 }, maximized: false })).toEqual({
      bounds: { x: 10, y: 20, width: 900, height: 601 },
      maximized: false,
    });
  });

  it.each([
    null,
    'text',
    [],
    {},
    { bounds: { x: 0, y: 0, width: 900, height: 600 } },
    { bounds: { x: 0, y: 0, width: 900 }, maximized: false },
    { bounds: { x: '0', y: 0, width: 900, height: 600 }, maximized: false },
    { bounds: { x: 0, y: 0, width: 0, height: 600 }, maximized: false },
    { bounds: { x: Number.NaN, y: 0, width: 900, height: 600 }, maximized: false },
    { bounds: { x: 1e12, y: 0, width: 900, height: 600 }, maximized: false },
    { bounds: { x: 0, y: 0, width: 900, height: 600 }, maximized: 'yes' },
  ])('refuses %j', (raw) => {
    expect(parseWindowState(raw)).toBeNull();
  });
});

describe('clampToDisplays', () => {
  it('centres a default window on the primary display when nothing was saved', () => {
    expect(clampToDisplays(null, [laptop])).toEqual({
      bounds: { x: 120, y: 30, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height },
      maximized: false,
    });
  });

  it('keeps a window that is fully visible', () => {
    const state = { bounds: { x: 100, y: 100, width: 1100, height: 650 }, maximized: false };
    expect(clampToDisplays(state, [laptop, rightMonitor])).toEqual(state);
  });

  it('brings back a window saved on a monitor that is gone, centred on the primary display', () => {
    const state = { bounds: { x: 2000, y: 100, width: 1100, height: 700 }, maximized: true };
    expect(clampToDisplays(state, [laptop])).toEqual({ bounds: { x: 170, y: 80, width: 1100, height: 700 }, maximized: true });
  });

  it('moves a window hanging off the edge fully onto the display it mostly covers', () => {
    const state = { bounds: { x: 3600, y: -400, width: 1100, height: 700 }, maximized: false };
    expect(clampToDisplays(state, [laptop, rightMonitor])).toEqual({
      bounds: { x: 2900, y: -200, width: 1100, height: 700 },
      maximized: false,
    });
  });

  it('shrinks a window larger than its display, and grows one below the minimum size', () => {
    expect(clampToDisplays({ bounds: { x: 0, y: 0, width: 4000, height: 3000 }, maximized: false }, [laptop]).bounds).toEqual(laptop);
    expect(clampToDisplays({ bounds: { x: 10, y: 10, width: 100, height: 50 }, maximized: false }, [laptop]).bounds).toEqual({
      x: 10,
      y: 10,
      width: MIN_SIZE.width,
      height: MIN_SIZE.height,
    });
  });

  it('is never narrower than the narrowest layout the e2e tests check (1024 wide: the certificate table fits)', () => {
    expect(MIN_SIZE.width).toBeGreaterThanOrEqual(1024);
    expect(clampToDisplays({ bounds: { x: 0, y: 0, width: 800, height: 500 }, maximized: false }, [laptop]).bounds.width).toBe(1024);
  });

  it('copes with no display information at all', () => {
    const state = clampToDisplays({ bounds: { x: 5000, y: 5000, width: 900, height: 600 }, maximized: false }, []);
    expect(state.bounds.width).toBeGreaterThan(0);
  });
});

describe('window-state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'certgate-window-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through the file', async () => {
    const file = path.join(dir, 'nested', 'window-state.json');
    const state = { bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: true };
    await writeWindowState(file, state);
    expect(await readWindowState(file)).toEqual(state);
  });

  it('reads a missing, corrupt or oversized file as no state', async () => {
    expect(await readWindowState(path.join(dir, 'missing.json'))).toBeNull();
    writeFileSync(path.join(dir, 'corrupt.json'), '{"bounds":');
    expect(await readWindowState(path.join(dir, 'corrupt.json'))).toBeNull();
    writeFileSync(path.join(dir, 'big.json'), JSON.stringify({ pad: 'x'.repeat(20_000) }));
    expect(await readWindowState(path.join(dir, 'big.json'))).toBeNull();
  });
});
