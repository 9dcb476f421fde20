/** Certificate rotations: the list, rotating a certificate (with its preflight) and rolling a rotation back. */
import { useCallback } from 'react';
import type { OperationInput } from '../../../preload/contract/operations';
import type { Result } from '../../../preload/contract/result';
import type { Rotation, RotationResult } from '../../../preload/contract/model';
import { useClient } from '../client-context';
import { loads } from '../first-loads';
import { useResource, type Resource } from '../use-resource';

/** The rotations with their state, and the operations on them. */
export interface RotationsState extends Resource<readonly Rotation[]> {
  /** Newest first. */
  readonly rotations: readonly Rotation[];
  rotate(input: OperationInput<'certificates.rotate'>): Promise<Result<RotationResult>>;
  rollback(rotationId: string): Promise<Result<Rotation>>;
}

const EMPTY: readonly Rotation[] = [];

/** Load the rotations; reload when certificates or policies change (a rotation changes both). */
export function useRotations(): RotationsState {
  const client = useClient();
  const resource = useResource(loads.rotations.load, {
    key: loads.rotations.key,
    refreshOn: (e) => e.kind === 'certificate' || e.kind === 'policy' || e.kind === 'api',
  });
  const { refresh } = resource;
  const rotate = useCallback(
    async (input: OperationInput<'certificates.rotate'>) => {
      const result = await client.call('certificates.rotate', input);
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh],
  );
  const rollback = useCallback(
    async (rotationId: string) => {
      const result = await client.call('certificates.rollback', { rotationId });
      if (result.ok) await refresh();
      return result;
    },
    [client, refresh],
  );
  const rotations = resource.data ? [...resource.data].sort((a, b) => Date.parse(b.rotatedAt) - Date.parse(a.rotatedAt)) : EMPTY;
  return { ...resource, rotations, rotate, rollback };
}

/**
 * Whether a rotation can still be rolled back: not rolled back yet, and not followed by a rotation away from
 * its new certificate (the APIs then present a third one; roll that one back first).
 */
export function canRollBack(rotation: Rotation, all: readonly Rotation[]): boolean {
  if (rotation.rolledBackAt !== null) return false;
  const at = Date.parse(rotation.rotatedAt);
  return !all.some(
    (r) => r !== rotation && r.rolledBackAt === null && r.fromCertificateId === rotation.toCertificateId && Date.parse(r.rotatedAt) >= at,
  );
}
