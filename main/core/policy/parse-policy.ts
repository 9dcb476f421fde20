/**
 * Reading a policy: well-formed XML (xml-parser), then the cloud service's shape with only the statements
 * CertGate supports. Anything else is refused with its line and column, never ignored.
 */
import { fail, ok, type Result } from '../../../preload/contract';
import type { HeaderAction } from '../gateway/types';
import { assertNever, checkAttributes, checkEmpty, checkNoText, type Scope } from './element-checks';
import { policyProblem } from './problem';
import { checkBasic, checkCertificate, checkSetHeader } from './statements';
import type { Credential, PolicyContext, PolicyEffect } from './types';
import { parseXml, type XmlElement } from './xml-parser';
import { lineColumn } from './xml-text';

const SECTIONS = ['inbound', 'backend', 'outbound', 'on-error'] as const;
type Section = (typeof SECTIONS)[number];

const CREDENTIAL_ELEMENTS = ['authentication-certificate', 'authentication-basic'] as const;

interface Found {
  credential: { readonly element: XmlElement; readonly value: Credential } | null;
  readonly headers: Readonly<Record<Section, HeaderAction[]>>;
  readonly items: Readonly<Record<Section, PolicyItem[]>>;
}

/** One statement of a section, in document order, with its source text (for composing scopes). */
export type PolicyItem =
  | { readonly kind: 'base' }
  | { readonly kind: 'header'; readonly action: HeaderAction; readonly text: string }
  | { readonly kind: 'credential'; readonly credential: Credential; readonly text: string };

/** The sections of a policy, each as its ordered statements. */
export type PolicySections = Readonly<Record<Section, readonly PolicyItem[]>>;

/** The four sections, in pipeline order. */
export const POLICY_SECTIONS = SECTIONS;

/** A valid policy's parsed tree and meaning. */
export interface CheckedPolicy {
  readonly root: XmlElement;
  readonly effect: PolicyEffect;
  readonly sections: PolicySections;
}

function isSection(name: string): name is Section {
  return (SECTIONS as readonly string[]).includes(name);
}

function supportedIn(section: Section): string {
  switch (section) {
    case 'inbound':
      return 'base, authentication-certificate, authentication-basic or set-header';
    case 'backend':
    case 'outbound':
    case 'on-error':
      return 'base or set-header';
    default:
      return assertNever(section);
  }
}

function checkStatement(scope: Scope, section: Section, child: XmlElement, found: Found): Result<null> {
  const name = child.name;
  if (name === 'set-header') {
    const header = checkSetHeader(scope, child);
    if (!header.ok) return header;
    found.headers[section].push(header.value);
    found.items[section].push({ kind: 'header', action: header.value, text: scope.source.slice(child.start, child.end) });
    return ok(null);
  }
  if (name === CREDENTIAL_ELEMENTS[0] || name === CREDENTIAL_ELEMENTS[1]) {
    if (section !== 'inbound') {
      return policyProblem(scope.source, child.start, name, `<${name}> is allowed only in <inbound>, not in <${section}>.`);
    }
    if (found.credential) {
      const first = found.credential.element;
      const at = lineColumn(scope.source, first.start);
      return policyProblem(
        scope.source,
        child.start,
        name,
        `<${name}> is a second credential element: <${first.name}> on line ${at.line} already sets one. Keep only one.`,
      );
    }
    const credential = name === 'authentication-certificate' ? checkCertificate(scope, child) : checkBasic(scope, child);
    if (!credential.ok) return credential;
    found.credential = { element: child, value: credential.value };
    found.items[section].push({ kind: 'credential', credential: credential.value, text: scope.source.slice(child.start, child.end) });
    return ok(null);
  }
  return policyProblem(
    scope.source,
    child.start,
    name,
    `<${name}> is not a policy element CertGate supports in <${section}>: use ${supportedIn(section)}.`,
  );
}

function checkSection(scope: Scope, section: XmlElement & { readonly name: Section }, found: Found): Result<null> {
  const attrs = checkAttributes(scope, section, []);
  if (!attrs.ok) return attrs;
  let base: XmlElement | null = null;
  for (const child of section.children) {
    switch (child.kind) {
      case 'comment':
        break;
      case 'text': {
        const text = checkNoText(scope, section, child);
        if (!text.ok) return text;
        break;
      }
      case 'element': {
        if (child.name === 'base') {
          if (base) {
            const at = lineColumn(scope.source, base.start);
            return policyProblem(scope.source, child.start, 'base', `<base /> may appear only once in <${section.name}> (it is already on line ${at.line}).`);
          }
          base = child;
          found.items[section.name].push({ kind: 'base' });
          const baseAttrs = checkAttributes(scope, child, []);
          if (!baseAttrs.ok) return baseAttrs;
          const empty = checkEmpty(scope, child);
          if (!empty.ok) return empty;
          break;
        }
        const statement = checkStatement(scope, section.name, child, found);
        if (!statement.ok) return statement;
        break;
      }
      default:
        return assertNever(child);
    }
  }
  return ok(null);
}

/** Parse and validate a policy, keeping its tree (for edits) and what it means. */
export function checkPolicy(source: string, context: PolicyContext | undefined): Result<CheckedPolicy> {
  const parsed = parseXml(source);
  if (!parsed.ok) return policyProblem(source, parsed.problem.offset, parsed.problem.element, parsed.problem.message);
  const scope: Scope = { source, context };
  const root = parsed.root;
  if (root.name !== 'policies') {
    return policyProblem(source, root.start, root.name, `The root element must be <policies>, not <${root.name}>.`);
  }
  const attrs = checkAttributes(scope, root, []);
  if (!attrs.ok) return attrs;
  const found: Found = {
    credential: null,
    headers: { inbound: [], backend: [], outbound: [], 'on-error': [] },
    items: { inbound: [], backend: [], outbound: [], 'on-error': [] },
  };
  const seen = new Map<Section, XmlElement>();
  for (const child of root.children) {
    switch (child.kind) {
      case 'comment':
        break;
      case 'text': {
        const text = checkNoText(scope, root, child);
        if (!text.ok) return text;
        break;
      }
      case 'element': {
        const name = child.name;
        if (!isSection(name)) {
          return policyProblem(source, child.start, name, `<${name}> is not allowed in <policies>: use <inbound>, <backend>, <outbound> or <on-error>.`);
        }
        const earlier = seen.get(name);
        if (earlier) {
          const at = lineColumn(source, earlier.start);
          return policyProblem(source, child.start, name, `<${name}> may appear only once in <policies> (it is already on line ${at.line}).`);
        }
        seen.set(name, child);
        const section = checkSection(scope, { ...child, name }, found);
        if (!section.ok) return section;
        break;
      }
      default:
        return assertNever(child);
    }
  }
  // A section left out inherits, as if it held only <base />: scopes compose the same either way.
  for (const section of SECTIONS) if (!seen.has(section)) found.items[section].push({ kind: 'base' });
  return ok({
    root,
    effect: {
      credential: found.credential?.value ?? { type: 'none' },
      // The pipeline runs inbound, then backend, whatever order the sections are written in.
      inboundHeaders: [...found.headers.inbound, ...found.headers.backend],
      outboundHeaders: [...found.headers.outbound],
    },
    sections: found.items,
  });
}

/** Parse and validate a policy; a context also checks that referenced certificates and named values exist. */
export function parsePolicy(xml: string, context?: PolicyContext): Result<PolicyEffect & { readonly xml: string }> {
  const checked = parsePolicySections(xml, context);
  return checked.ok ? ok({ ...checked.value.effect, xml }) : checked;
}

/** Parse and validate one scope's policy into its ordered sections (for composing scopes) and its meaning. */
export function parsePolicySections(xml: string, context?: PolicyContext): Result<Omit<CheckedPolicy, 'root'>> {
  try {
    const checked = checkPolicy(xml, context);
    if (!checked.ok) return checked;
    return ok({ effect: checked.value.effect, sections: checked.value.sections });
  } catch (err) {
    // Only a bug (or a throwing context) gets here: report it, never throw.
    return fail('internal', 'CertGate hit an unexpected problem reading the policy. Please report it.', {
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}
