/** Client certificates: the list (with where each is used), upload and delete. */
import { useCallback } from 'react';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import type { CallOptions, OperationInput, OperationOutput } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';
import { loads } from '../first-loads';
import { useResource, type Resource } from '../use-resource';

/** The certificates with their state, and the operations on them. */
export interface CertificatesState extends Resource<readonly CertificateWithUsage[]> {
  readonly certificates: readonly CertificateWithUsage[];
  /** `options.signal`: aborting it cancels the upload (and its parse). */
  upload(input: OperationInput<'certificates.upload'>, options?: CallOptions): Promise<Result<OperationOutput<'certificates.upload'>>>;
  remove(id: string): Promise<Result<{ readonly id: string }>>;
}

const EMPTY: readonly CertificateWithUsage[] = [];

/** Load the client certificates; reload when certificates, APIs or policies change (usage follows them). */
export function useCertificates(): CertificatesState {
  const client = useClient();
  const resource = useResource(loads.certificates.load, {
    key: loads.certificates.key,
    refreshOn: (e) => e.kind === 'certificate' || e.kind === 'api' || e.kind === 'policy',
  });
  const { refresh } = resource;
  const upload = useCallback(
    async (input: OperationInput<'certificates.upload'>, options?: CallOptions) => {
      const result = await client.call('certificates.upload', input, options);
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh],
  );
  const remove = useCallback(
    async (id: string) => {
      const result = await client.call('certificates.delete', { id });
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh],
  );
  return { ...resource, certificates: resource.data ?? EMPTY, upload, remove };
}
