/**
 * Checks shared by every policy element: which attributes it may have, that it holds no stray text or
 * elements, and that the named values it mentions are well-formed and exist.
 */
import { ok, type Result } from '../../../preload/contract';
import { NAMED_VALUE_RULE, namedValueMentions } from './named-values';
import { policyProblem, quoted } from './problem';
import type { PolicyContext } from './types';
import type { XmlAttribute, XmlElement, XmlText } from './xml-parser';
import { firstNonWhitespace, isBlank } from './xml-text';

/** The document being checked and, when references are checked, what exists. */
export interface Scope {
  readonly source: string;
  readonly context: PolicyContext | undefined;
}

function list(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  if (names.length === 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** The element's attributes by name, refusing any not in `allowed`. */
export function checkAttributes(
  scope: Scope,
  element: XmlElement,
  allowed: readonly string[],
): Result<ReadonlyMap<string, XmlAttribute>> {
  const found = new Map<string, XmlAttribute>();
  for (const attr of element.attributes) {
    if (!allowed.includes(attr.name)) {
      const takes = allowed.length === 0 ? 'takes no attributes' : `takes only ${list(allowed)}`;
      return policyProblem(scope.source, attr.start, element.name, `<${element.name}> has no attribute ${attr.name}: it ${takes}.`);
    }
    found.set(attr.name, attr);
  }
  return ok(found);
}

/** Refuse a text node inside an element that holds only elements (white space and comments are fine). */
export function checkNoText(scope: Scope, parent: XmlElement, node: XmlText): Result<null> {
  if (node.cdata) {
    return policyProblem(scope.source, node.start, parent.name, `A CDATA section is not allowed in <${parent.name}>: only inside <value>.`);
  }
  if (isBlank(node.text)) return ok(null);
  const at = firstNonWhitespace(scope.source, node.start, node.end);
  return policyProblem(scope.source, at === -1 ? node.start : at, parent.name, `Text is not allowed inside <${parent.name}>.`);
}

/** Refuse any content but white space and comments. */
export function checkEmpty(scope: Scope, element: XmlElement): Result<null> {
  for (const child of element.children) {
    switch (child.kind) {
      case 'comment':
        break;
      case 'text': {
        const text = checkNoText(scope, element, child);
        if (!text.ok) return text;
        break;
      }
      case 'element':
        return policyProblem(scope.source, child.start, child.name, `<${element.name}> may not contain <${child.name}>: it has no content.`);
      default:
        return assertNever(child);
    }
  }
  return ok(null);
}

/** Refuse malformed `{{…}}` references in a value and, with a context, references to unknown named values. */
export function checkNamedValues(scope: Scope, value: string, offset: number, element: string, where: string): Result<null> {
  for (const mention of namedValueMentions(value)) {
    if (!mention.valid) {
      return policyProblem(
        scope.source,
        offset,
        element,
        `<${element}> ${where} mentions ${quoted(`{{${mention.name}}}`)}, which is not a valid named value reference: ${NAMED_VALUE_RULE}.`,
      );
    }
    if (scope.context && !scope.context.hasNamedValue(mention.name)) {
      return policyProblem(
        scope.source,
        offset,
        element,
        `<${element}> ${where} refers to the named value ${quoted(mention.name)}, which does not exist: create it first.`,
      );
    }
  }
  return ok(null);
}

/** For exhaustive switches: a value the types say cannot exist. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
