import { expect } from 'vitest';
import type { PolicyProblem, Result } from '../../../../preload/contract';
import type { PolicyContext } from '../../../../main/core/policy';

/** A document from its lines, each ended by "\n". */
export function doc(...lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** The PolicyProblem of a `validation` failure, checking that the message starts with its position. */
export function problemOf(result: Result<unknown>): PolicyProblem {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('expected a failure');
  expect(result.error.code).toBe('validation');
  const details = result.error.details as PolicyProblem;
  expect(result.error.message).toBe(`Line ${details.line}, column ${details.column}: ${details.message}`);
  return details;
}

/** A context that knows the given certificate ids, thumbprints and named values, and records what it was asked. */
export function contextOf(known: {
  readonly ids?: readonly string[];
  readonly thumbprints?: readonly string[];
  readonly namedValues?: readonly string[];
}): PolicyContext & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    hasCertificateId: (id) => {
      asked.push(`id:${id}`);
      return (known.ids ?? []).includes(id);
    },
    hasCertificateThumbprint: (t) => {
      asked.push(`thumbprint:${t}`);
      return (known.thumbprints ?? []).includes(t);
    },
    hasNamedValue: (name) => {
      asked.push(`named:${name}`);
      return (known.namedValues ?? []).includes(name);
    },
  };
}
