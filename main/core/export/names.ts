/**
 * Names for exported things, derived from CertGate ids so that exporting twice gives the same output:
 * stable UUIDs for Kong entities, and file names and identifiers that are safe in every target format.
 */
import { createHash } from 'node:crypto';

/** CertGate's UUID namespace for exported entities (random, fixed forever: changing it renames everything). */
const NAMESPACE = '6d3c1b0e-5f4a-4c8e-9b1d-2a7e0f9c4b53';

/** An RFC 4122 version-5 UUID (SHA-1 of the namespace and the name): the same input gives the same id. */
export function uuidV5(name: string, namespace: string = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The stable UUID of an exported entity: its kind ("certificate", "service"…) and its CertGate id. */
export function entityId(kind: string, id: string): string {
  return uuidV5(`certgate:${kind}:${id}`);
}

function shortHash(id: string): string {
  return createHash('sha1').update(id, 'utf8').digest('hex').slice(0, 8);
}

/**
 * A name made of `allowed` characters only (others become `joiner`), unique per id: when anything had to
 * change (characters, case, length), a short hash of the id is appended, so "Orders v1" and "orders-v1" differ.
 */
function safeName(id: string, allowed: string, joiner: string, max: number): string {
  const cleaned = id
    .toLowerCase()
    .replace(new RegExp(`[^${allowed}]+`, 'g'), joiner)
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, max);
  return cleaned === id && cleaned !== '' ? cleaned : `${cleaned === '' ? 'x' : cleaned}${joiner}${shortHash(id)}`;
}

/** A file-name stem for an id: lower-case letters, digits, '.', '_' and '-' (safe on every file system and in configs). */
export function fileStem(id: string): string {
  return safeName(id, 'a-z0-9._-', '-', 60);
}

/** A Kong entity name (services, routes): letters, digits, '.', '_', '-' and '~'. */
export function kongName(id: string): string {
  return safeName(id, 'a-z0-9._~-', '-', 120);
}

/** An identifier for configuration languages (nginx upstream and variable names, Bicep symbols): [a-z0-9_]. */
export function identifier(id: string): string {
  return safeName(id, 'a-z0-9_', '_', 60);
}

/** A name for an environment variable reference (Kong's env vault): lower-case letters, digits and '-'. */
export function envName(id: string): string {
  return safeName(id, 'a-z0-9-', '-', 60);
}
