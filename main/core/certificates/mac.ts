/**
 * The integrity check of a PFX (RFC 7292 MacData): the classic HMAC keyed by the PKCS #12 KDF, or PBMAC1
 * (RFC 9579: HMAC keyed by PBKDF2), which node-forge does not verify, so both are verified here with
 * Node's crypto. Everything that bounds the cost (iterations, key length) is checked when parsing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { octets, oid, sequence, unsignedInteger, type Der } from './der';
import { refuse } from './errors';
import { pkcs12Kdf, type PasswordForm } from './kdf';
import { checkIterations, countDerivation, kdfRounds, type ParseContext } from './limits';
import { DIGESTS, HMACS, OID, type DigestSpec } from './oids';
import { feed } from './pacer';
import { derivePbkdf2, parsePbkdf2 } from './pbe';
import type { SchemeSummary, WeakReason } from './protection';

/** RFC 9579: a PBMAC1 key shorter than this lets an attacker forge a MAC that accepts any password. */
const PBMAC1_MIN_KEY_OCTETS = 20;

/** A parsed integrity check. */
export interface MacCheck extends SchemeSummary {
  /** The hash rounds one verification derives (its share of the parse's budget). */
  readonly rounds: number;
  /** True when `form` authenticates `content` (the authSafe octets). */
  verify(form: PasswordForm, content: Uint8Array, ctx: ParseContext): Promise<boolean>;
}

function unsupported(what: string): never {
  return refuse('unsupported-algorithm', `CertGate cannot open {file}: its integrity check uses ${what}, which CertGate does not support.`);
}

function weakness(digest: DigestSpec, iterations: number): WeakReason[] {
  const reasons: WeakReason[] = [];
  if (digest.node === 'sha1') reasons.push('sha1-mac');
  if (iterations < 2000) reasons.push('few-iterations');
  return reasons;
}

async function hmacMatches(digest: DigestSpec, key: Uint8Array, content: Uint8Array, expected: Uint8Array, ctx: ParseContext): Promise<boolean> {
  const hmac = createHmac(digest.node, key);
  await feed(content, (piece) => hmac.update(piece), ctx.pacer, 1024 * 1024);
  const actual = hmac.digest();
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Parse MacData, refusing excessive iteration counts and PBMAC1 keys under 20 octets. */
export function parseMacData(node: Der): MacCheck {
  const [digestInfo, saltNode, iterationsNode] = sequence(node, 2);
  const [algorithm, digestNode] = sequence(digestInfo, 2);
  const [algId, algParams] = sequence(algorithm, 1);
  const expected = octets(digestNode);
  const id = oid(algId);
  if (id === OID.pbmac1) return parsePbmac1(algParams, expected);

  const digest = DIGESTS[id];
  if (!digest) return unsupported(`an unknown digest (${id})`);
  const salt = octets(saltNode);
  const iterations = iterationsNode === undefined ? 1 : checkIterations(unsignedInteger(iterationsNode));
  return {
    name: `HMAC-${digest.label}`,
    iterations,
    rounds: iterations,
    weakReasons: weakness(digest, iterations),
    async verify(form, content, ctx) {
      countDerivation(ctx, iterations);
      const key = await pkcs12Kdf(digest, form.bmp, salt, 3, iterations, digest.size, ctx.pacer);
      return hmacMatches(digest, key, content, expected, ctx);
    },
  };
}

/** PBMAC1: the MacData salt and iteration fields are unused; PBKDF2's own parameters count. */
function parsePbmac1(params: Der | undefined, expected: Uint8Array): MacCheck {
  const [kdf, scheme] = sequence(params, 2);
  const pbkdf2 = parsePbkdf2(kdf);
  const schemeId = oid(sequence(scheme, 1)[0]);
  const hmac = HMACS[schemeId];
  if (!hmac) return unsupported(`PBMAC1 with an unknown function (${schemeId})`);
  const keyLength = pbkdf2.keyLength;
  if (keyLength === null) {
    refuse('invalid-format', 'CertGate cannot read {file}: its PBMAC1 integrity check has no key length, which RFC 9579 requires.', 'PBMAC1 keyLength');
  }
  if (keyLength < PBMAC1_MIN_KEY_OCTETS) {
    refuse(
      'unsupported-algorithm',
      `CertGate refuses {file}: its PBMAC1 integrity key is ${keyLength} octet${keyLength === 1 ? '' : 's'} long, under the ${PBMAC1_MIN_KEY_OCTETS} octets RFC 9579 requires; a key that short lets a tampered file pass with any password.`,
    );
  }
  if (keyLength > 1024) refuse('invalid-format', 'CertGate cannot read {file}: its PBMAC1 key length is not plausible.', 'PBMAC1 keyLength');
  const rounds = kdfRounds(pbkdf2.iterations, keyLength, pbkdf2.prf.size);
  return {
    name: `PBMAC1/HMAC-${hmac.label}`,
    iterations: pbkdf2.iterations,
    rounds,
    weakReasons: weakness(hmac, pbkdf2.iterations),
    async verify(form, content, ctx) {
      countDerivation(ctx, rounds);
      // RFC 9579 uses the password's UTF-8 octets, as PBES2 does.
      const key = await derivePbkdf2(form.utf8, pbkdf2, keyLength);
      ctx.pacer.check();
      return hmacMatches(hmac, key, content, expected, ctx);
    },
  };
}
