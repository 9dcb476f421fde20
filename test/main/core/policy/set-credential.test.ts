import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_XML, parsePolicy, setCredential, type Credential } from '../../../../main/core/policy';
import { doc, problemOf } from './helpers';

const CERT: Credential = { type: 'certificate', by: 'certificate-id', value: 'client1' };
const BASIC: Credential = { type: 'basic', username: 'svc', passwordNamedValue: 'backend-password' };
const NONE: Credential = { type: 'none' };

function set(xml: string, credential: Credential): string {
  const result = setCredential(xml, credential);
  if (!result.ok) throw new Error(result.error.message);
  expect(parsePolicy(result.value).ok).toBe(true);
  return result.value;
}

const COMMENTED = doc(
  '<!-- API policy: keep this comment -->',
  '<policies>',
  '  <inbound>',
  "    <base /> <!-- inherit the product's policies -->",
  '    <!-- headers for the back end -->',
  '    <set-header name="X-Trace" exists-action=\'skip\'>',
  '      <value>on</value>',
  '    </set-header>',
  '  </inbound>',
  '  <backend>',
  '      <base/>',
  '  </backend>',
  '  <outbound><base /></outbound>',
  '  <!-- no on-error section -->',
  '</policies>',
);

describe('setCredential keeps everything else byte for byte', () => {
  it('goes none -> certificate -> basic -> none and back to the original text', () => {
    const withCert = set(COMMENTED, CERT);
    const lines = COMMENTED.split('\n');
    const expected = [...lines.slice(0, 4), '    <authentication-certificate certificate-id="client1" />', ...lines.slice(4)].join('\n');
    expect(withCert).toBe(expected);
    const withBasic = set(withCert, BASIC);
    expect(withBasic).toBe(
      expected.replace(
        '<authentication-certificate certificate-id="client1" />',
        '<authentication-basic username="svc" password="{{backend-password}}" />',
      ),
    );
    expect(set(withBasic, NONE)).toBe(COMMENTED);
  });

  it('round-trips the default policy, with the credential indented like <base />', () => {
    const withCert = set(DEFAULT_POLICY_XML, CERT);
    expect(withCert.split('\n').slice(0, 5)).toEqual([
      '<policies>',
      '    <inbound>',
      '        <base />',
      '        <authentication-certificate certificate-id="client1" />',
      '    </inbound>',
    ]);
    expect(set(set(withCert, BASIC), NONE)).toBe(DEFAULT_POLICY_XML);
  });

  it('keeps CRLF line ends and tabs', () => {
    const crlf = '<policies>\r\n\t<inbound>\r\n\t\t<base />\r\n\t</inbound>\r\n</policies>';
    const withCert = set(crlf, CERT);
    expect(withCert).toBe(
      '<policies>\r\n\t<inbound>\r\n\t\t<base />\r\n\t\t<authentication-certificate certificate-id="client1" />\r\n\t</inbound>\r\n</policies>',
    );
    expect(set(set(withCert, BASIC), NONE)).toBe(crlf);
  });

  it('replaces an existing credential in place, keeping what shares its line', () => {
    const xml = '<policies>\n  <inbound><base/><authentication-basic username="a" password="{{p}}"/><!-- c --></inbound>\n</policies>\n';
    expect(set(xml, CERT)).toBe(
      '<policies>\n  <inbound><base/><authentication-certificate certificate-id="client1" /><!-- c --></inbound>\n</policies>\n',
    );
    expect(set(xml, NONE)).toBe('<policies>\n  <inbound><base/><!-- c --></inbound>\n</policies>\n');
  });

  it('removes a credential with its own line only', () => {
    const xml = doc('<policies>', '  <inbound>', '    <base />', '    <authentication-certificate certificate-id="old" />   ', '    <!-- after -->', '  </inbound>', '</policies>');
    expect(set(xml, NONE)).toBe(doc('<policies>', '  <inbound>', '    <base />', '    <!-- after -->', '  </inbound>', '</policies>'));
  });

  it('returns the same text when the credential does not change', () => {
    const xml = "<policies>\n <inbound>\n   <authentication-certificate   certificate-id='client1'/>\n </inbound>\n</policies>";
    expect(setCredential(xml, CERT)).toEqual({ ok: true, value: xml });
    expect(setCredential(COMMENTED, NONE)).toEqual({ ok: true, value: COMMENTED });
  });

  it('writes a thumbprint credential upper-case without separators', () => {
    const xml = set('<policies>\n  <inbound>\n    <base />\n  </inbound>\n</policies>\n', {
      type: 'certificate',
      by: 'thumbprint',
      value: 'ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01',
    });
    expect(xml).toBe(
      '<policies>\n  <inbound>\n    <base />\n    <authentication-certificate thumbprint="ABCDEF0123456789ABCDEF0123456789ABCDEF01" />\n  </inbound>\n</policies>\n',
    );
    const parsed = parsePolicy(xml);
    expect(parsed.ok && parsed.value.credential).toEqual({ type: 'certificate', by: 'thumbprint', value: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' });
  });

  it('escapes attribute values and reads them back unchanged', () => {
    const username = `a&b<c>"d'\te`;
    const xml = set(DEFAULT_POLICY_XML, { type: 'basic', username, passwordNamedValue: 'p' });
    expect(xml).toContain('<authentication-basic username="a&amp;b&lt;c&gt;&quot;d\'&#9;e" password="{{p}}" />');
    const parsed = parsePolicy(xml);
    expect(parsed.ok && parsed.value.credential).toEqual({ type: 'basic', username, passwordNamedValue: 'p' });
  });
});

describe('setCredential where the inbound section is missing or unusual', () => {
  it('creates the inbound section first in <policies>, indented like the other sections', () => {
    const xml = doc('<policies>', '  <backend>', '    <base />', '  </backend>', '</policies>');
    expect(set(xml, CERT)).toBe(
      doc('<policies>', '  <inbound>', '    <base />', '    <authentication-certificate certificate-id="client1" />', '  </inbound>', '  <backend>', '    <base />', '  </backend>', '</policies>'),
    );
    expect(setCredential(xml, NONE)).toEqual({ ok: true, value: xml });
  });

  it('creates it in a one-line document and in <policies/>', () => {
    expect(set('<policies><backend><base/></backend></policies>', CERT)).toBe(
      '<policies><inbound><base /><authentication-certificate certificate-id="client1" /></inbound><backend><base/></backend></policies>',
    );
    expect(set('<policies/>\n', CERT)).toBe(
      '<policies>\n    <inbound>\n        <base />\n        <authentication-certificate certificate-id="client1" />\n    </inbound>\n</policies>\n',
    );
  });

  it('opens a self-closing <inbound/>', () => {
    expect(set('<policies>\n  <inbound />\n</policies>\n', CERT)).toBe(
      '<policies>\n  <inbound>\n    <authentication-certificate certificate-id="client1" />\n  </inbound>\n</policies>\n',
    );
  });

  it('puts the credential first in an inbound section without <base />', () => {
    const xml = doc('<policies>', '  <inbound>', '      <set-header name="X" exists-action="delete" />', '  </inbound>', '</policies>');
    const withBasic = set(xml, BASIC);
    expect(withBasic).toBe(
      doc('<policies>', '  <inbound>', '      <authentication-basic username="svc" password="{{backend-password}}" />', '      <set-header name="X" exists-action="delete" />', '  </inbound>', '</policies>'),
    );
    expect(set(withBasic, NONE)).toBe(xml);
  });
});

describe('setCredential refuses', () => {
  it('an invalid document, with the same failure as parsePolicy', () => {
    const xml = doc('<policies>', '  <inbound>', '    <bogus />', '  </inbound>', '</policies>');
    const result = setCredential(xml, CERT);
    expect(result).toEqual(parsePolicy(xml));
    expect(problemOf(result)).toMatchObject({ line: 3, column: 5, element: 'bogus' });
  });

  it('a password that is not a named value name, without repeating it', () => {
    const result = setCredential(DEFAULT_POLICY_XML, { type: 'basic', username: 'u', passwordNamedValue: 'my secret!' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'The password must be given as the name of a named value (1 to 256 letters, digits, "-", "_" or "."), never as the password itself.',
      },
    });
  });

  it('a bad user name, certificate id or thumbprint', () => {
    expect(setCredential(DEFAULT_POLICY_XML, { type: 'basic', username: 'a:b', passwordNamedValue: 'p' })).toEqual({
      ok: false,
      error: { code: 'validation', message: 'The user name may not contain ":" (HTTP Basic authentication cannot carry it).' },
    });
    expect(setCredential(DEFAULT_POLICY_XML, { type: 'certificate', by: 'certificate-id', value: 'a/b' })).toEqual({
      ok: false,
      error: { code: 'validation', message: '"a/b" is not a valid certificate id.' },
    });
    expect(setCredential(DEFAULT_POLICY_XML, { type: 'certificate', by: 'thumbprint', value: 'ABC' })).toEqual({
      ok: false,
      error: { code: 'validation', message: "A thumbprint is the certificate's SHA-1 thumbprint: 40 hexadecimal characters." },
    });
  });
});
