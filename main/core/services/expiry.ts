/**
 * Which client certificates expire soon: a pure function over the store's data and a clock. A certificate
 * counts when its leaf expires within the window, or when a CA certificate of its chain expires before the
 * leaf does and within the window (the back end stops trusting the chain then, whatever the leaf says).
 */
import type { ExpiringCertificate } from '../../../preload/contract';
import { usageIndex } from './usage';
import type { StoreData } from '../store/schema';

const DAY_MS = 86_400_000;

/** The thresholds operators are warned at, widest first: 30, 7 and 1 days left, and expired (0). */
export const EXPIRY_THRESHOLDS = [30, 7, 1, 0] as const;

/** One of the thresholds. */
export type ExpiryThreshold = (typeof EXPIRY_THRESHOLDS)[number];

/**
 * The smallest threshold crossed `msLeft` before expiry: 0 once expired, else 1, 7 or 30 when at most that
 * many days are left. Further out than 30 days is still the 30-day band (only asked for with a wider window).
 */
export function thresholdFor(msLeft: number): ExpiryThreshold {
  if (msLeft <= 0) return 0;
  if (msLeft <= DAY_MS) return 1;
  if (msLeft <= 7 * DAY_MS) return 7;
  return 30;
}

/** Whole days left, rounded toward zero: 0 on the day it expires, negative once it has expired for days. */
export function daysLeft(msLeft: number): number {
  const days = msLeft >= 0 ? Math.floor(msLeft / DAY_MS) : -Math.floor(-msLeft / DAY_MS);
  return days + 0; // never -0 in JSON or in tests
}

interface Candidate {
  readonly which: 'leaf' | 'chain';
  readonly subject: string;
  readonly notAfter: string;
  readonly time: number;
}

/** The leaf, or the chain's CA certificate that expires first when one expires before the leaf. */
function firstToExpire(cert: StoreData['certificates'][number]): Candidate | null {
  const leafTime = Date.parse(cert.notAfter);
  let best: Candidate | null = Number.isNaN(leafTime) ? null : { which: 'leaf', subject: cert.subject, notAfter: cert.notAfter, time: leafTime };
  // chain[0] is the leaf itself; the rest are the CA certificates the file carried.
  for (const entry of cert.chain.slice(1)) {
    const time = Date.parse(entry.notAfter);
    if (Number.isNaN(time)) continue;
    if (best === null || time < best.time) best = { which: 'chain', subject: entry.subject, notAfter: entry.notAfter, time };
  }
  return best;
}

/**
 * Client certificates whose leaf (or a CA certificate of whose chain) expires within `withinDays` days of
 * `now`, or has expired; most urgent first, with the APIs that use them.
 */
export function expiringCertificates(data: Readonly<StoreData>, now: Date, withinDays: number): ExpiringCertificate[] {
  const nowMs = now.getTime();
  const windowMs = Math.max(0, withinDays) * DAY_MS;
  const usage = usageIndex(data).certificates;
  const found: (ExpiringCertificate & { readonly time: number })[] = [];
  for (const cert of data.certificates) {
    const first = firstToExpire(cert);
    if (!first) continue;
    const msLeft = first.time - nowMs;
    if (msLeft > windowMs) continue;
    found.push({
      certificateId: cert.id,
      subject: cert.subject,
      thumbprint: cert.thumbprint,
      which: first.which,
      expiringSubject: first.subject,
      notAfter: first.notAfter,
      daysLeft: daysLeft(msLeft),
      threshold: thresholdFor(msLeft),
      usedBy: usage.get(cert.id) ?? [],
      time: first.time,
    });
  }
  found.sort((a, b) => a.time - b.time || a.certificateId.localeCompare(b.certificateId));
  return found.map(({ time: _time, ...entry }) => entry);
}
