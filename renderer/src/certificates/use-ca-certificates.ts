/** Trusted CA certificates for back-end TLS: the list, upload and delete. */
import { useCallback } from 'react';
import type { CaCertificate } from '../../../preload/contract/model';
import type { OperationInput } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { useResource, type Resource } from '../use-resource';

/** The CA certificates with their state, and the operations on them. */
export interface CaCertificatesState extends Resource<readonly CaCertificate[]> {
  readonly caCertificates: readonly CaCertificate[];
  upload(input: OperationInput<'caCertificates.upload'>): Promise<Result<CaCertificate>>;
  remove(id: string): Promise<Result<{ readonly id: string }>>;
}

const EMPTY: readonly CaCertificate[] = [];

/** Load the CA certificates; reload when they or the APIs trusting them change. */
export function useCaCertificates(): CaCertificatesState {
  const client = useClient();
  const resource = useResource((c) => c.call('caCertificates.list', {}), {
    key: 'ca-certificates',
    refreshOn: (e) => e.kind === 'ca-certificate' || e.kind === 'api',
  });
  const { refresh } = resource;
  const upload = useCallback(
    async (input: OperationInput<'caCertificates.upload'>) => {
      const result = await client.call('caCertificates.upload', input);
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh],
  );
  const remove = useCallback(
    async (id: string) => {
      const result = await client.call('caCertificates.delete', { id });
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh],
  );
  return { ...resource, caCertificates: resource.data ?? EMPTY, upload, remove };
}
