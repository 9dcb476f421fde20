/**
 * Named values: secrets and settings kept outside the policy and referred to as `{{name}}`. A password is
 * never written into a policy; `authentication-basic` refers to one this way.
 */

/** A named value's name: letters, digits, "-", "_" and ".", 1 to 256 characters. */
export const NAMED_VALUE_NAME = /^[A-Za-z0-9._-]{1,256}$/;

/** What a policy message says a valid name looks like. */
export const NAMED_VALUE_RULE = 'a name has 1 to 256 letters, digits, "-", "_" or "."';

/** One `{{…}}` occurrence in a value: its name as written and whether that name is valid. */
export interface NamedValueMention {
  readonly name: string;
  readonly valid: boolean;
}

/** Every `{{…}}` in a string, in order. */
export function namedValueMentions(text: string): readonly NamedValueMention[] {
  const out: NamedValueMention[] = [];
  for (const m of text.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const name = m[1] ?? '';
    out.push({ name, valid: NAMED_VALUE_NAME.test(name) });
  }
  return out;
}

/** The name in a value that is exactly one reference (`{{name}}`), valid or not; null for anything else. */
export function soleNamedValue(text: string): NamedValueMention | null {
  const m = /^\{\{([^{}]*)\}\}$/.exec(text);
  if (!m) return null;
  const name = m[1] ?? '';
  return { name, valid: NAMED_VALUE_NAME.test(name) };
}
