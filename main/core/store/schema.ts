import type { Api, CaCertificate, Certificate, Rotation, Settings } from '../../../preload/contract';

/** The store's schema version; a file with a newer one was written by a newer CertGate. */
export const SCHEMA_VERSION = 1;

/** A client certificate's metadata plus the name of its vault entry. */
export interface StoredCertificate extends Certificate {
  readonly secretRef: string;
}

/** A trusted CA certificate (public: kept in the store itself). */
export type StoredCaCertificate = Omit<CaCertificate, 'usedBy'>;

/** An API and its policy document. */
export interface StoredApi extends Api {
  readonly policyXml: string;
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
  if (d.settings !== undefined && (typeof d.settings !== 'object' || d.settings === null)) return 'its "settings" is not an object';
  return null;
}
