/**
 * Policy scopes, composed as the cloud service does: the global policy ("All APIs"), the API's, and an
 * operation's. In each section `<base />` stands for the enclosing scope's section; a scope without it does not
 * inherit that section. A credential element (`authentication-certificate`, `authentication-basic`) in a scope
 * replaces the credential it would inherit, so an operation can present its own certificate. Pure functions.
 */
import { POLICY_SECTIONS, type PolicyItem, type PolicySections } from './parse-policy';
import type { Credential, PolicyEffect } from './types';

/** One scope's checked policy, outermost first in a chain. */
export interface ScopedPolicy {
  /** Shown in the effective view: "All APIs", `API "Orders"`, `Operation "Refund"`. */
  readonly label: string;
  readonly sections: PolicySections;
}

/** What the chain of scopes does, and the composed document (read-only, for display). */
export interface ComposedPolicy {
  readonly effect: PolicyEffect;
  readonly xml: string;
}

type Section = (typeof POLICY_SECTIONS)[number];
type Placed = Exclude<PolicyItem, { readonly kind: 'base' }> & { readonly from: string };

/** Compose a chain of scopes, outermost (global) first, innermost (the one the call runs) last. */
export function composePolicies(chain: readonly ScopedPolicy[]): ComposedPolicy {
  const sections = {} as Record<Section, readonly Placed[]>;
  for (const section of POLICY_SECTIONS) sections[section] = expand(chain, chain.length - 1, section);
  const credential = sections.inbound.find((i): i is Placed & { kind: 'credential' } => i.kind === 'credential')?.credential;
  const headers = (items: readonly Placed[]) => items.flatMap((i) => (i.kind === 'header' ? [i.action] : []));
  return {
    effect: {
      credential: credential ?? ({ type: 'none' } satisfies Credential),
      // As in one document: inbound, then backend, are applied to the request.
      inboundHeaders: [...headers(sections.inbound), ...headers(sections.backend)],
      outboundHeaders: headers(sections.outbound),
    },
    xml: render(sections),
  };
}

function expand(chain: readonly ScopedPolicy[], level: number, section: Section): readonly Placed[] {
  const scope = chain[level];
  if (!scope) return [];
  const own = scope.sections[section];
  const hasCredential = own.some((i) => i.kind === 'credential');
  const out: Placed[] = [];
  for (const item of own) {
    if (item.kind !== 'base') {
      out.push({ ...item, from: scope.label });
      continue;
    }
    // The global scope has nothing above it: its <base /> is empty.
    for (const inherited of expand(chain, level - 1, section)) {
      if (hasCredential && inherited.kind === 'credential') continue;
      out.push(inherited);
    }
  }
  return out;
}

function render(sections: Readonly<Record<Section, readonly Placed[]>>): string {
  const lines = ['<policies>'];
  for (const section of POLICY_SECTIONS) {
    const items = sections[section];
    if (items.length === 0) {
      lines.push(`    <${section} />`);
      continue;
    }
    lines.push(`    <${section}>`);
    let from: string | null = null;
    for (const item of items) {
      if (item.from !== from) {
        from = item.from;
        lines.push(`        <!-- ${commentText(from)} -->`);
      }
      lines.push(`        ${item.text}`);
    }
    lines.push(`    </${section}>`);
  }
  lines.push('</policies>', '');
  return lines.join('\n');
}

/** Text that is safe inside an XML comment (no "--", no trailing "-"). */
function commentText(text: string): string {
  return text.replace(/-{2,}/g, '-').replace(/-$/, '- ');
}
