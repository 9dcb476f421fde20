/**
 * Diagnose an API's back end on demand (`apis.diagnose`), or one operation's route with the certificate its composed
 * policy presents: nothing is changed, so nothing is cached either.
 */
import { useCallback, useRef, useState } from 'react';
import type { AppError } from '../../../preload/contract/result';
import type { Diagnosis } from '../../../preload/contract/model';
import { useClient } from '../client-context';

/** Where a diagnosis stands. */
export type DiagnoseState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly certificateId: string | null }
  | { readonly status: 'done'; readonly diagnosis: Diagnosis; readonly certificateId: string | null }
  | { readonly status: 'failed'; readonly error: AppError };

/** The diagnosis of one API, and the way to run it (optionally presenting another stored certificate). */
export interface DiagnoseControl {
  readonly state: DiagnoseState;
  run(certificateId: string | null): Promise<void>;
}

/** Run `apis.diagnose` for `apiId` (and `operationId`, when given); only the answer to the latest run is kept. */
export function useDiagnose(apiId: string, operationId?: string): DiagnoseControl {
  const client = useClient();
  const [state, setState] = useState<DiagnoseState>({ status: 'idle' });
  const sequence = useRef(0);
  const run = useCallback(
    async (certificateId: string | null) => {
      const mine = ++sequence.current;
      setState({ status: 'running', certificateId });
      const result = await client.call('apis.diagnose', {
        id: apiId,
        ...(operationId !== undefined && { operationId }),
        ...(certificateId !== null && { certificateId }),
      });
      if (mine !== sequence.current) return;
      setState(result.ok ? { status: 'done', diagnosis: result.value, certificateId } : { status: 'failed', error: result.error });
    },
    [client, apiId, operationId],
  );
  return { state, run };
}
