/** How close a certificate is to its expiry: the rule behind the colours of expiry dates. */

const DAY_MS = 86_400_000;

/** Certificates expiring within this many days are flagged. */
const EXPIRY_WARNING_DAYS = 30;

/** Where a certificate stands. */
export interface Expiry {
  readonly kind: 'expired' | 'soon' | 'ok';
  /** Whole days from now: positive ahead, negative (or 0) once expired. */
  readonly days: number;
}

/** The expiry of a certificate valid until `notAfter`, seen at `now`. */
export function expiryOf(notAfter: string, now: number): Expiry {
  const left = Date.parse(notAfter) - now;
  if (Number.isNaN(left)) return { kind: 'ok', days: 0 };
  if (left <= 0) return { kind: 'expired', days: -Math.floor(-left / DAY_MS) };
  const days = Math.floor(left / DAY_MS);
  return { kind: days < EXPIRY_WARNING_DAYS ? 'soon' : 'ok', days };
}
