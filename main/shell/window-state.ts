/**
 * The window's size, position and maximized state, kept in a small JSON file in userData. What is read back
 * is validated and clamped to the displays attached now, so a window saved on an unplugged monitor reappears.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A rectangle in screen coordinates (DIP), as Electron gives it. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What is remembered between launches. */
export interface WindowState {
  readonly bounds: Rect;
  readonly maximized: boolean;
}

/**
 * The size of a first window, and the smallest a window may be: as wide as the narrowest layout the e2e
 * tests check (1024: every page whole, the certificate table's columns apart); pages scroll vertically, so
 * the height leaves room for a 1280x720 laptop's taskbar.
 */
export const DEFAULT_SIZE = { width: 1200, height: 800 } as const;
export const MIN_SIZE = { width: 1024, height: 600 } as const;

const MAX_COORDINATE = 1_000_000;

function isFiniteIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

/** Validate what was read from disk: anything unexpected gives null (start with the default window). */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { bounds, maximized } = raw as { bounds?: unknown; maximized?: unknown };
  if (typeof bounds !== 'object' || bounds === null || typeof maximized !== 'boolean') return null;
  const { x, y, width, height } = bounds as Record<string, unknown>;
  if (!isFiniteIn(x, -MAX_COORDINATE, MAX_COORDINATE) || !isFiniteIn(y, -MAX_COORDINATE, MAX_COORDINATE)) return null;
  if (!isFiniteIn(width, 1, MAX_COORDINATE) || !isFiniteIn(height, 1, MAX_COORDINATE)) return null;
  return { bounds: { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) }, maximized };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function centered(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: area.x + Math.floor((area.width - width) / 2),
    y: area.y + Math.floor((area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Fit a saved state to the displays' work areas (primary first). The window goes to the display it overlaps
 * most, shrinks to fit it and is moved fully inside it; if it overlaps none, it is centred on the primary one.
 * No saved state gives a default-sized window centred on the primary display.
 */
export function clampToDisplays(state: WindowState | null, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height };
  if (!state) return { bounds: centered(DEFAULT_SIZE, primary), maximized: false };

  let best: Rect | null = null;
  let bestOverlap = 0;
  for (const area of workAreas) {
    const o = overlap(state.bounds, area);
    if (o > bestOverlap) {
      best = area;
      bestOverlap = o;
    }
  }
  const size = {
    width: Math.max(state.bounds.width, MIN_SIZE.width),
    height: Math.max(state.bounds.height, MIN_SIZE.height),
  };
  if (!best) return { bounds: centered(size, primary), maximized: state.maximized };

  const width = Math.min(size.width, best.width);
  const height = Math.min(size.height, best.height);
  const x = Math.min(Math.max(state.bounds.x, best.x), best.x + best.width - width);
  const y = Math.min(Math.max(state.bounds.y, best.y), best.y + best.height - height);
  return { bounds: { x, y, width, height }, maximized: state.maximized };
}

/** Read the saved state; a missing, unreadable or invalid file gives null. */
export async function readWindowState(file: string): Promise<WindowState | null> {
  try {
    const text = await readFile(file, 'utf8');
    if (text.length > 10_000) return null;
    return parseWindowState(JSON.parse(text));
  } catch {
    return null;
  }
}

/** Save the state atomically (temp file + rename), so a crash never leaves half a file. */
export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state), 'utf8');
  await rename(temp, file);
}
