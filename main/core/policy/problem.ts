/** How a refused policy is reported: a `validation` failure whose details say where (PolicyProblem). */
import { fail, type PolicyProblem, type Result } from '../../../preload/contract';
import { lineColumn } from './xml-text';

/** A `validation` failure at an offset of the policy, with a message for people and the element named. */
export function policyProblem(source: string, offset: number, element: string | undefined, message: string): Result<never> {
  const { line, column } = lineColumn(source, offset);
  const details: PolicyProblem = element === undefined ? { message, line, column } : { message, line, column, element };
  return fail('validation', `Line ${line}, column ${column}: ${message}`, details);
}

/** A value quoted for a message, shortened when long. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
