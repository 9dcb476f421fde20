/**
 * What a policy refers to, for "in use" checks: certificates and named values. These read any well-formed
 * document, even one that fails validation, so that a reference is never missed; malformed XML has none.
 */
import { namedValueMentions } from './named-values';
import { normalizeThumbprint } from './statements';
import type { CertificateReference } from './types';
import { parseXml, type XmlElement } from './xml-parser';

/** Visit every element in document order (depth is bounded by the parser). */
function visit(element: XmlElement, each: (element: XmlElement) => void): void {
  each(element);
  for (const child of element.children) if (child.kind === 'element') visit(child, each);
}

/** Every certificate reference in a document (thumbprints upper-case, without separators), in order. */
export function certificateReferences(xml: string): readonly CertificateReference[] {
  const parsed = parseXml(xml);
  if (!parsed.ok) return [];
  const found: CertificateReference[] = [];
  visit(parsed.root, (element) => {
    if (element.name !== 'authentication-certificate') return;
    for (const attr of element.attributes) {
      if (attr.name === 'certificate-id') found.push({ by: 'certificate-id', value: attr.value });
      else if (attr.name === 'thumbprint') found.push({ by: 'thumbprint', value: normalizeThumbprint(attr.value) });
    }
  });
  return found;
}

/** Every named value a document refers to (`{{name}}`, in attributes and text), each once, in order. */
export function namedValueReferences(xml: string): readonly string[] {
  const parsed = parseXml(xml);
  if (!parsed.ok) return [];
  const names = new Set<string>();
  const collect = (text: string): void => {
    for (const mention of namedValueMentions(text)) if (mention.valid) names.add(mention.name);
  };
  visit(parsed.root, (element) => {
    for (const attr of element.attributes) collect(attr.value);
    for (const child of element.children) if (child.kind === 'text') collect(child.text);
  });
  return [...names];
}
