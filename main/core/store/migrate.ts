/**
 * Store migrations: a file written by an older CertGate is read into today's shape, keeping everything it holds.
 * The migrated data is written back with the next change (the file on disk stays as it was until then, so a
 * downgrade before any change still reads it).
 */
import { DEFAULT_GLOBAL_POLICY_XML } from '../policy/default-policy';
import { emptyStore, SCHEMA_VERSION, type StoreData, type StoredApi } from './schema';

/** Today's shape of a parsed store file that passed `storeShapeProblem` (schema 1 or 2). */
export function migrateStore(data: Readonly<Record<string, unknown>>): StoreData {
  const merged = { ...emptyStore(), ...(data as Partial<StoreData>) };
  // 1 -> 2: operations (none: an API without operations forwards every path, as before) and the global policy
  // (empty: it changes nothing, since every API's <base /> then inherits nothing).
  const apis = merged.apis.map((api): StoredApi => ({ ...api, operations: (api as Partial<StoredApi>).operations ?? [] }));
  return {
    ...merged,
    apis,
    globalPolicyXml: typeof merged.globalPolicyXml === 'string' ? merged.globalPolicyXml : DEFAULT_GLOBAL_POLICY_XML,
    schemaVersion: SCHEMA_VERSION,
  };
}
