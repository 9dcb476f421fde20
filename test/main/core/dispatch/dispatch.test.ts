import { describe, expect, it } from 'vitest';
import { operationNames } from '../../../../preload/contract/operations';
import { inputSchemas } from '../../../../preload/contract/schemas';
import { dispatch, parseInput } from '../../../../main/core/dispatch/dispatch';
import { ok, type Operations } from '../../../../preload/contract';

describe('dispatch', () => {
  it('has one input schema per operation of the contract, and none for an operation it does not declare', () => {
    expect(Object.keys(inputSchemas).sort()).toEqual([...operationNames].sort());
  });

  it('bounds a validation failure: a few unknown keys named, short paths, at most ten issues', () => {
    const payload = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}${'y'.repeat(200)}`, i]));
    const result = parseInput('settings.set', payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('validation');
    expect(result.error.message).toMatch(/^Unknown fields: "k0y+…", .* and 49,995 more\.$/);
    expect(JSON.stringify(result.error).length).toBeLessThan(1500);
    const many = parseInput('apis.create', Object.fromEntries(Array.from({ length: 30 }, (_, i) => [String(i), i])));
    expect(!many.ok && (many.error.details as { issues: unknown[] }).issues.length).toBeLessThanOrEqual(10);
  });

  it('passes the caller\'s signal to the operation, and refuses to start a call already cancelled', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const operations = new Proxy({} as Operations, {
      get: () => async (_input: unknown, options?: { signal?: AbortSignal }) => {
        seen.push(options?.signal);
        return ok(null);
      },
    });
    const controller = new AbortController();
    expect((await dispatch(operations, 'settings.get', {}, { signal: controller.signal })).ok).toBe(true);
    expect(seen).toEqual([controller.signal]);
    controller.abort();
    const late = await dispatch(operations, 'settings.get', {}, { signal: controller.signal });
    expect(!late.ok && late.error.code).toBe('cancelled');
    expect(seen).toHaveLength(1);
  });
});
