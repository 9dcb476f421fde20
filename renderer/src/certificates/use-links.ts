/** Linked certificates (issue 14): link a file, unlink, sync now, and the desktop's native file dialog. */
import { useCallback, useMemo } from 'react';
import type { Certificate } from '../../../preload/contract/model';
import type { OperationInput, OperationOutput } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import { useClient } from '../client-context';

/** The link operations; the certificate list follows their change events by itself. */
export interface LinksState {
  /** True in the desktop app, which has a native file dialog; a browser types the path on the serving machine. */
  readonly canPick: boolean;
  link(input: OperationInput<'certificates.link'>): Promise<Result<OperationOutput<'certificates.link'>>>;
  unlink(id: string): Promise<Result<Certificate>>;
  sync(id: string): Promise<Result<Certificate>>;
  /** The path the operator chose in the native dialog, or null when cancelled. */
  pick(): Promise<Result<{ readonly path: string | null }>>;
}

/** Whether the console runs inside the desktop app (its preload bridge is there). */
export function hasNativeFileDialog(): boolean {
  return typeof window !== 'undefined' && window.certgate !== undefined;
}

/** The link operations through the client. */
export function useLinks(): LinksState {
  const client = useClient();
  const link = useCallback((input: OperationInput<'certificates.link'>) => client.call('certificates.link', input), [client]);
  const unlink = useCallback((id: string) => client.call('certificates.unlink', { id }), [client]);
  const sync = useCallback((id: string) => client.call('certificates.sync', { id }), [client]);
  const pick = useCallback(() => client.call('files.pick', { purpose: 'link-certificate' }), [client]);
  return useMemo(() => ({ canPick: hasNativeFileDialog(), link, unlink, sync, pick }), [link, unlink, sync, pick]);
}
