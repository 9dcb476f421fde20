/**
 * Writing the Security tab's choice into a policy. The document is edited by splicing its source text at
 * the offsets the parser recorded, so comments, element order, quoting and white space all survive; only
 * the credential element (and, when missing, the inbound section) is written, indented like its neighbours.
 */
import { fail, idSchema, ok, type Result } from '../../../preload/contract';
import { assertNever } from './element-checks';
import { NAMED_VALUE_NAME } from './named-values';
import { checkPolicy } from './parse-policy';
import { quoted } from './problem';
import { isThumbprint, normalizeThumbprint, usernameProblem } from './statements';
import type { Credential } from './types';
import type { XmlElement } from './xml-parser';

const DEFAULT_INDENT = '    ';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Escape an attribute value for double quotes (white space too, which attribute parsing would normalise). */
function escapeAttribute(value: string): string {
  return value.replace(/[&<>"\t\n\r]/g, (c) => ESCAPES[c] ?? c);
}

function credentialElement(credential: Credential): string | null {
  switch (credential.type) {
    case 'none':
      return null;
    case 'basic':
      return `<authentication-basic username="${escapeAttribute(credential.username)}" password="{{${credential.passwordNamedValue}}}" />`;
    case 'certificate':
      return credential.by === 'thumbprint'
        ? `<authentication-certificate thumbprint="${normalizeThumbprint(credential.value)}" />`
        : `<authentication-certificate certificate-id="${escapeAttribute(credential.value)}" />`;
    default:
      return assertNever(credential);
  }
}

function checkCredential(credential: Credential): Result<null> {
  switch (credential.type) {
    case 'none':
      return ok(null);
    case 'basic': {
      const user = usernameProblem(credential.username);
      if (user !== null) return fail('validation', `The user name ${user}.`);
      // Never echo the value: a password passed here by mistake must not end up in a message.
      if (!NAMED_VALUE_NAME.test(credential.passwordNamedValue)) {
        return fail(
          'validation',
          'The password must be given as the name of a named value (1 to 256 letters, digits, "-", "_" or "."), never as the password itself.',
        );
      }
      return ok(null);
    }
    case 'certificate':
      switch (credential.by) {
        case 'certificate-id':
          return idSchema.safeParse(credential.value).success
            ? ok(null)
            : fail('validation', `${quoted(credential.value)} is not a valid certificate id.`);
        case 'thumbprint':
          return isThumbprint(normalizeThumbprint(credential.value))
            ? ok(null)
            : fail('validation', 'A thumbprint is the certificate\'s SHA-1 thumbprint: 40 hexadecimal characters.');
        default:
          return assertNever(credential.by);
      }
    default:
      return assertNever(credential);
  }
}

function sameCredential(a: Credential, b: Credential): boolean {
  switch (a.type) {
    case 'none':
      return b.type === 'none';
    case 'basic':
      return b.type === 'basic' && a.username === b.username && a.passwordNamedValue === b.passwordNamedValue;
    case 'certificate':
      if (b.type !== 'certificate' || a.by !== b.by) return false;
      return a.by === 'thumbprint' ? normalizeThumbprint(a.value) === normalizeThumbprint(b.value) : a.value === b.value;
    default:
      return assertNever(a);
  }
}

function splice(source: string, start: number, end: number, text: string): string {
  return source.slice(0, start) + text + source.slice(end);
}

function lineStart(source: string, offset: number): number {
  let i = offset;
  while (i > 0 && source[i - 1] !== '\n' && source[i - 1] !== '\r') i--;
  return i;
}

/** The white space before an offset when nothing else precedes it on its line; null otherwise. */
function ownLineIndent(source: string, offset: number): string | null {
  const before = source.slice(lineStart(source, offset), offset);
  return /^[ \t]*$/.test(before) ? before : null;
}

function lineBreakAfter(source: string, offset: number): { readonly at: number; readonly text: string } | null {
  const m = /\r\n|\r|\n/g;
  m.lastIndex = offset;
  const found = m.exec(source);
  return found ? { at: found.index, text: found[0] } : null;
}

/**
 * Where a new line can start after `anchor` inside an element whose content ends at `limit`: after the
 * anchor's line break, when the rest of its line is only white space and comments. Null for a one-line layout.
 */
function nextLineStart(source: string, anchor: number, limit: number): number | null {
  const br = lineBreakAfter(source, anchor);
  if (!br || br.at >= limit) return null;
  const rest = source.slice(anchor, br.at).replace(/<!--[\s\S]*?-->/g, '');
  return /^[ \t]*$/.test(rest) ? br.at + br.text.length : null;
}

function elementChildren(element: XmlElement): readonly XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.kind === 'element');
}

function firstChildIndent(source: string, element: XmlElement): string | null {
  for (const child of elementChildren(element)) {
    const indent = ownLineIndent(source, child.start);
    if (indent !== null) return indent;
  }
  return null;
}

/** One level of indentation, read from the sections' indentation under <policies>. */
function indentUnit(source: string, root: XmlElement): string {
  const outer = ownLineIndent(source, root.start) ?? '';
  const inner = firstChildIndent(source, root);
  if (inner !== null && inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  return DEFAULT_INDENT;
}

/** Remove an element, and its line too when it stands alone on it. */
function removeElement(source: string, element: XmlElement): string {
  const start = lineStart(source, element.start);
  const br = lineBreakAfter(source, element.end);
  const rest = source.slice(element.end, br ? br.at : source.length);
  if (!/^[ \t]*$/.test(source.slice(start, element.start)) || !/^[ \t]*$/.test(rest)) {
    return splice(source, element.start, element.end, '');
  }
  if (br) return splice(source, start, br.at + br.text.length, '');
  return splice(source, start, source.length, '').replace(/(\r\n|\r|\n)$/, '');
}

function insertIntoInbound(source: string, root: XmlElement, inbound: XmlElement, element: string, nl: string): string {
  const unit = indentUnit(source, root);
  const inboundIndent = ownLineIndent(source, inbound.start);
  if (inbound.selfClosing) {
    const text =
      inboundIndent === null
        ? `<inbound>${element}</inbound>`
        : `<inbound>${nl}${inboundIndent}${unit}${element}${nl}${inboundIndent}</inbound>`;
    return splice(source, inbound.start, inbound.end, text);
  }
  const base = elementChildren(inbound).find((c) => c.name === 'base');
  const anchor = base ? base.end : inbound.openEnd;
  const indent =
    (base ? ownLineIndent(source, base.start) : null) ?? firstChildIndent(source, inbound) ?? `${inboundIndent ?? ''}${unit}`;
  const at = nextLineStart(source, anchor, inbound.closeStart);
  return at === null ? splice(source, anchor, anchor, element) : splice(source, at, at, `${indent}${element}${nl}`);
}

function insertInbound(source: string, root: XmlElement, element: string, nl: string): string {
  const unit = indentUnit(source, root);
  const rootIndent = ownLineIndent(source, root.start);
  const oneLine = `<inbound><base />${element}</inbound>`;
  const block = (indent: string): string =>
    `${indent}<inbound>${nl}${indent}${unit}<base />${nl}${indent}${unit}${element}${nl}${indent}</inbound>${nl}`;
  if (root.selfClosing) {
    const text = rootIndent === null ? `<policies>${oneLine}</policies>` : `<policies>${nl}${block(rootIndent + unit)}${rootIndent}</policies>`;
    return splice(source, root.start, root.end, text);
  }
  const at = nextLineStart(source, root.openEnd, root.closeStart);
  if (at === null) return splice(source, root.openEnd, root.openEnd, oneLine);
  return splice(source, at, at, block(firstChildIndent(source, root) ?? `${rootIndent ?? ''}${unit}`));
}

/**
 * Write a credential into a policy's inbound section, leaving every other byte as it was: `none` removes the
 * credential element (with its line); otherwise it replaces it, or is inserted after `<base />` (creating
 * `<inbound>` when missing). An invalid document is refused with its validation failure.
 */
export function setCredential(xml: string, credential: Credential): Result<string> {
  try {
    const input = checkCredential(credential);
    if (!input.ok) return input;
    const checked = checkPolicy(xml, undefined);
    if (!checked.ok) return checked;
    if (sameCredential(checked.value.effect.credential, credential)) return ok(xml);
    const root = checked.value.root;
    const inbound = elementChildren(root).find((c) => c.name === 'inbound');
    const existing = inbound
      ? elementChildren(inbound).find((c) => c.name === 'authentication-certificate' || c.name === 'authentication-basic')
      : undefined;
    const element = credentialElement(credential);
    const nl = xml.includes('\r\n') ? '\r\n' : '\n';
    let next: string;
    if (element === null) next = existing ? removeElement(xml, existing) : xml;
    else if (existing) next = splice(xml, existing.start, existing.end, element);
    else if (inbound) next = insertIntoInbound(xml, root, inbound, element, nl);
    else next = insertInbound(xml, root, element, nl);
    // The result must be a policy CertGate accepts; this can only fail on a bug, but never save one that fails.
    const again = checkPolicy(next, undefined);
    return again.ok ? ok(next) : again;
  } catch (err) {
    return fail('internal', 'CertGate hit an unexpected problem editing the policy. Please report it.', {
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}
