/**
 * The policy editor's help with certificate ids: hovering a `certificate-id="…"` value shows that certificate
 * (subject, last four thumbprint characters, expiry), and typing inside one offers the ids to complete.
 * The certificates are read through `source()` each time, so the editor follows the list without being rebuilt.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, hoverTooltip, type Tooltip } from '@codemirror/view';
import type { Certificate } from '../../../preload/contract/model';
import type { I18n } from '../../i18n';
import { expiryOf } from '../certificates/expiry';
import { expiryLabel } from '../certificates/expiry-text';
import { lastFour } from '../certificates/thumbprint';

/** What the editor needs to know of a certificate. */
export type PolicyCertificate = Pick<Certificate, 'id' | 'subject' | 'commonName' | 'thumbprint' | 'notAfter'>;

/** Where the help gets its data and words. */
export interface CertificateHelpSource {
  readonly certificates: readonly PolicyCertificate[];
  readonly i18n: I18n;
}

const ATTRIBUTE = /certificate-id\s*=\s*(["'])([^"']*)\1?/g;

/** The `certificate-id` value around `pos` in `line` (offsets within the line), if any. */
function valueAt(text: string, pos: number): { from: number; to: number; id: string } | null {
  for (const match of text.matchAll(ATTRIBUTE)) {
    const quote = match[1] ?? '"';
    const from = (match.index ?? 0) + match[0].indexOf(quote) + 1;
    const id = match[2] ?? '';
    const to = from + id.length;
    if (pos >= from && pos <= to) return { from, to, id };
  }
  return null;
}

/** The tooltip's content: subject, full subject, last four and expiry (or that no certificate has this id). */
function hoverContent(source: CertificateHelpSource, id: string): HTMLElement {
  const { i18n } = source;
  const dom = document.createElement('div');
  dom.className = 'cg-certificate-hover';
  dom.setAttribute('role', 'tooltip');
  const certificate = source.certificates.find((c) => c.id === id);
  if (!certificate) {
    dom.textContent = i18n.t('policy.unknownCertificate', { id });
    return dom;
  }
  const now = Date.now();
  const name = document.createElement('strong');
  name.textContent = certificate.commonName || certificate.subject;
  const subject = document.createElement('div');
  subject.textContent = certificate.subject;
  const meta = document.createElement('div');
  const last4 = document.createElement('strong');
  last4.className = 'cg-thumbprint-last4';
  last4.textContent = lastFour(certificate.thumbprint);
  const expiry = document.createElement('span');
  expiry.dataset['expiry'] = expiryOf(certificate.notAfter, now).kind;
  expiry.textContent = expiryLabel(i18n, certificate.notAfter, now);
  meta.append('…', last4, ' · ', expiry);
  dom.append(name, subject, meta);
  return dom;
}

/** Completion of a certificate id inside `certificate-id="…"`. */
function completeIds(source: () => CertificateHelpSource) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const open = /certificate-id\s*=\s*["']([^"']*)$/.exec(before);
    if (!open) return null;
    const typed = open[1] ?? '';
    const { certificates, i18n } = source();
    const now = Date.now();
    const options: Completion[] = certificates.map((c) => ({
      label: c.id,
      type: 'constant',
      detail: `${c.commonName || c.subject} …${lastFour(c.thumbprint)}`,
      info: expiryLabel(i18n, c.notAfter, now),
    }));
    return { from: context.pos - typed.length, options, validFor: /^[^"']*$/ };
  };
}

/** The hover card for the `certificate-id` value at `pos`, or null when `pos` is not in one. */
export function certificateTooltip(state: EditorState, pos: number, source: () => CertificateHelpSource): Tooltip | null {
  const line = state.doc.lineAt(pos);
  const value = valueAt(line.text, pos - line.from);
  if (!value || value.id === '') return null;
  return {
    pos: line.from + value.from,
    end: line.from + value.to,
    above: true,
    create: () => ({ dom: hoverContent(source(), value.id) }),
  };
}

const theme = EditorView.baseTheme({
  '.cg-certificate-hover': { display: 'flex', flexDirection: 'column', gap: '2px', padding: '4px 8px', maxWidth: '480px' },
});

/** The hover and completion for certificate ids, reading `source()` when used. */
export function certificateHelp(source: () => CertificateHelpSource): Extension {
  return [
    hoverTooltip((view, pos) => certificateTooltip(view.state, pos, source)),
    EditorState.languageData.of(() => [{ autocomplete: completeIds(source) }]),
    theme,
  ];
}
