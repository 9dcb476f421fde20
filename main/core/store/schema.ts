import type { Api, ApiOperation, CaCertificate, Certificate, Rotation, Settings } from '../../../preload/contract';
import { DEFAULT_GLOBAL_POLICY_XML } from '../policy/default-policy';

/**
 * The store's schema version; a file with a newer one was written by a newer CertGate.
 * 2: APIs have operations (each with its policy) and the store has the global policy (migrate.ts).
 */
export const SCHEMA_VERSION = 2;

/** A client certificate's metadata plus the name of its vault entry. */
export interface StoredCertificate extends Certificate {
  readonly secretRef: string;
  /** Set with `source` on a linked certificate: what only the core sees of the link. */
  readonly link?: StoredLink;
}

/** A linked certificate's private state. */
export interface StoredLink {
  /** The vault entry of the linked file's password; null when the file has none. */
  readonly passwordRef: string | null;
  /** SHA-256 (hex) of the file content last imported or found good; null before the first sync. */
  readonly sha256: string | null;
}

/** A trusted CA certificate (public: kept in the store itself). */
export type StoredCaCertificate = Omit<CaCertificate, 'usedBy'>;

/** An operation of an API and its policy document (its apiId is the API it is stored in). */
export interface StoredOperation extends Omit<ApiOperation, 'apiId'> {
  readonly policyXml: string;
}

/** An API, its policy document and its operations. */
export interface StoredApi extends Api {
  readonly policyXml: string;
  /** Absent (as in schema 1 files and older code's literals) means none. */
  readonly operations?: readonly StoredOperation[];
}

/** A named value: a secret referenced from policies as {{name}}, kept in the vault. */
export interface NamedValue {
  readonly name: string;
  readonly secretRef: string;
  readonly createdAt: string;
}

/** Everything in the store file. */
export interface StoreData {
  schemaVersion: number;
  certificates: StoredCertificate[];
  caCertificates: StoredCaCertificate[];
  apis: StoredApi[];
  /** The global policy ("All APIs"): composed into every API's policy through <base />. */
  /** Absent means the default (an empty policy). */
  globalPolicyXml?: string;
  namedValues: NamedValue[];
  /** Certificate rotations, newest last: what to switch back on a rollback. */
  rotations: Rotation[];
  settings: Settings;
}

/** The content of a new store. */
export function emptyStore(): StoreData {
  return {
    schemaVersion: SCHEMA_VERSION,
    certificates: [],
    caCertificates: [],
    apis: [],
    globalPolicyXml: DEFAULT_GLOBAL_POLICY_XML,
    namedValues: [],
    rotations: [],
    settings: { language: 'system', theme: 'system' },
  };
}

/** Why a parsed file is not a store we can use, or null when it is. */
export function storeShapeProblem(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'it is not a JSON object';
  const d = data as Record<string, unknown>;
  if (typeof d.schemaVersion !== 'number') return 'it has no schemaVersion';
  if (d.schemaVersion > SCHEMA_VERSION) {
    return `it was written by a newer CertGate (schema ${d.schemaVersion}, this one reads ${SCHEMA_VERSION})`;
  }
  for (const key of ['certificates', 'caCertificates', 'apis', 'namedValues', 'rotations'] as const) {
    if (d[key] !== undefined && !Array.isArray(d[key])) return `its "${key}" is not a list`;
  }
  if (d.globalPolicyXml !== undefined && typeof d.globalPolicyXml !== 'string') return 'its "globalPolicyXml" is not a string';
  if (Array.isArray(d.apis) && d.apis.some((a) => typeof a !== 'object' || a === null || ((a as { operations?: unknown }).operations !== undefined && !Array.isArray((a as { operations?: unknown }).operations)))) {
    return 'an API\'s "operations" is not a list';
  }
  if (d.settings !== undefined && (typeof d.settings !== 'object' || d.settings === null)) return 'its "settings" is not an object';
  return null;
}
