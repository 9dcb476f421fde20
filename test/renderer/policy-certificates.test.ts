import { CompletionContext, type CompletionResult, type CompletionSource } from '@codemirror/autocomplete';
import { xml } from '@codemirror/lang-xml';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../renderer/i18n';
import { certificateHelp, certificateTooltip, type CertificateHelpSource } from '../../renderer/src/apis/policy-certificates';
import { makeCertificate, makeThumbprint } from './fake-client';

const source: CertificateHelpSource = {
  certificates: [
    makeCertificate({ id: 'client1', subject: 'CN=client1,O=Contoso', thumbprint: makeThumbprint('BEEF'), expiresInDays: 10 }),
    makeCertificate({ id: 'old', subject: 'CN=old,O=Contoso', thumbprint: makeThumbprint('0DD0'), expiresInDays: -2 }),
  ],
  i18n: createI18n('en'),
};
const doc = '<policies>\n  <inbound>\n    <authentication-certificate certificate-id="client1" />\n    <authentication-certificate certificate-id="ghost" />\n  </inbound>\n</policies>';

function stateOf(text: string): EditorState {
  return EditorState.create({ doc: text, extensions: [xml(), certificateHelp(() => source)] });
}

describe('Policy editor: certificate ids', () => {
  it('hovering a certificate-id shows the certificate: subject, last four, expiry', () => {
    const state = stateOf(doc);
    const at = doc.indexOf('client1') + 3;
    const tooltip = certificateTooltip(state, at, () => source);
    expect(tooltip).not.toBeNull();
    expect(tooltip?.pos).toBe(doc.indexOf('client1'));
    expect(tooltip?.end).toBe(doc.indexOf('client1') + 'client1'.length);
    const view = new EditorView({ state });
    const dom = tooltip!.create(view).dom;
    expect(dom.textContent).toContain('client1');
    expect(dom.textContent).toContain('CN=client1,O=Contoso');
    expect(dom.querySelector('strong.cg-thumbprint-last4')?.textContent).toBe('BEEF');
    expect(dom.textContent).toContain('expires in 10 days');
    expect(dom.querySelector('[data-expiry]')?.getAttribute('data-expiry')).toBe('soon');
    const unknown = certificateTooltip(state, doc.indexOf('ghost') + 1, () => source);
    expect(unknown!.create(view).dom.textContent).toBe('No client certificate has the id ghost.');
    expect(certificateTooltip(state, doc.indexOf('inbound'), () => source)).toBeNull();
    view.destroy();
  });

  it('completes certificate ids inside certificate-id="…", with subject and last four', async () => {
    const text = '<policies>\n  <inbound>\n    <authentication-certificate certificate-id="cl';
    const state = stateOf(text);
    const sources = state.languageDataAt<CompletionSource>('autocomplete', text.length);
    const results = (await Promise.all(sources.map((s) => s(new CompletionContext(state, text.length, true))))).filter(
      (r): r is CompletionResult => r !== null && r.options.some((o) => o.label === 'client1'),
    );
    expect(results).toHaveLength(1);
    const result = results[0]!;
    expect(result.from).toBe(text.length - 2);
    expect(result.options.map((o) => o.label)).toEqual(['client1', 'old']);
    expect(result.options[0]?.detail).toBe('client1 …BEEF');
    expect(result.options[1]?.info).toBe('expired 2 days ago');
    // Outside the attribute's value: nothing of ours.
    const elsewhere = stateOf('<policies>\n  <in');
    const ours = await Promise.all(elsewhere.languageDataAt<CompletionSource>('autocomplete', 15).map((s) => s(new CompletionContext(elsewhere, 15, true))));
    expect(ours.some((r) => r?.options.some((o) => o.label === 'client1'))).toBe(false);
  });
});
