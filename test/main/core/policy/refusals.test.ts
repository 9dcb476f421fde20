import { describe, expect, it } from 'vitest';
import type { PolicyProblem } from '../../../../preload/contract';
import { parsePolicy } from '../../../../main/core/policy';
import { doc, problemOf } from './helpers';

/** A policy whose inbound section holds `statement` on line 4, column 5. */
function inbound(statement: string): string {
  return doc('<policies>', '  <inbound>', '    <base />', `    ${statement}`, '  </inbound>', '</policies>');
}

const T = '0123456789ABCDEF0123456789ABCDEF01234567';
const NAME_RULE = 'a name has 1 to 256 letters, digits, "-", "_" or "."';

type Case = readonly [title: string, xml: string, expected: PolicyProblem];

const shapeCases: readonly Case[] = [
  ['a root other than policies', '<policy>\n</policy>\n', { line: 1, column: 1, element: 'policy', message: 'The root element must be <policies>, not <policy>.' }],
  ['an attribute on policies', '<policies version="1"/>', { line: 1, column: 11, element: 'policies', message: '<policies> has no attribute version: it takes no attributes.' }],
  ['an unknown section', doc('<policies>', '  <inbound />', '  <fallback />', '</policies>'), { line: 3, column: 3, element: 'fallback', message: '<fallback> is not allowed in <policies>: use <inbound>, <backend>, <outbound> or <on-error>.' }],
  ['a section twice', doc('<policies>', '  <outbound />', '  <inbound />', '  <outbound></outbound>', '</policies>'), { line: 4, column: 3, element: 'outbound', message: '<outbound> may appear only once in <policies> (it is already on line 2).' }],
  ['an attribute on a section', doc('<policies>', '  <inbound mode="x" />', '</policies>'), { line: 2, column: 12, element: 'inbound', message: '<inbound> has no attribute mode: it takes no attributes.' }],
  ['an unknown element in inbound', inbound('<rate-limit calls="5" renewal-period="60" />'), { line: 4, column: 5, element: 'rate-limit', message: '<rate-limit> is not a policy element CertGate supports in <inbound>: use base, authentication-certificate, authentication-basic or set-header.' }],
  ['an unknown element in backend', doc('<policies>', '  <backend>', '    <cors />', '  </backend>', '</policies>'), { line: 3, column: 5, element: 'cors', message: '<cors> is not a policy element CertGate supports in <backend>: use base or set-header.' }],
  ['text in a section', doc('<policies>', '  <inbound>', '    <base />', '    hello', '  </inbound>', '</policies>'), { line: 4, column: 5, element: 'inbound', message: 'Text is not allowed inside <inbound>.' }],
  ['text in base', doc('<policies>', '  <inbound>', '    <base>x</base>', '  </inbound>', '</policies>'), { line: 3, column: 11, element: 'base', message: 'Text is not allowed inside <base>.' }],
  ['an attribute on base', doc('<policies>', '  <inbound>', '    <base policy="x" />', '  </inbound>', '</policies>'), { line: 3, column: 11, element: 'base', message: '<base> has no attribute policy: it takes no attributes.' }],
  ['base twice', inbound('<base />'), { line: 4, column: 5, element: 'base', message: '<base /> may appear only once in <inbound> (it is already on line 3).' }],
  ['an element inside base', doc('<policies>', '  <inbound>', '    <base><x/></base>', '  </inbound>', '</policies>'), { line: 3, column: 11, element: 'x', message: '<base> may not contain <x>: it has no content.' }],
  ['CDATA outside value', inbound('<![CDATA[x]]>'), { line: 4, column: 5, element: 'inbound', message: 'A CDATA section is not allowed in <inbound>: only inside <value>.' }],
];

const credentialCases: readonly Case[] = [
  ['an unknown attribute', inbound('<authentication-certificate certificate-id="a" body="x" />'), { line: 4, column: 52, element: 'authentication-certificate', message: '<authentication-certificate> has no attribute body: it takes only certificate-id and thumbprint.' }],
  ['neither certificate-id nor thumbprint', inbound('<authentication-certificate />'), { line: 4, column: 5, element: 'authentication-certificate', message: '<authentication-certificate> needs either certificate-id or thumbprint.' }],
  ['both certificate-id and thumbprint', inbound(`<authentication-certificate certificate-id="a" thumbprint="${T}" />`), { line: 4, column: 5, element: 'authentication-certificate', message: '<authentication-certificate> needs either certificate-id or thumbprint, not both.' }],
  ['an invalid certificate id', inbound('<authentication-certificate certificate-id="a/b" />'), { line: 4, column: 33, element: 'authentication-certificate', message: '<authentication-certificate> certificate-id "a/b" is not a valid certificate id: An id may not contain any of * # & + : < > ? / \\ or control characters.' }],
  ['a thumbprint of the wrong length', inbound('<authentication-certificate thumbprint="ABC" />'), { line: 4, column: 33, element: 'authentication-certificate', message: "<authentication-certificate> thumbprint must be the certificate's SHA-1 thumbprint: 40 hexadecimal characters." }],
  ['text inside a credential', inbound('<authentication-certificate certificate-id="a">text</authentication-certificate>'), { line: 4, column: 52, element: 'authentication-certificate', message: 'Text is not allowed inside <authentication-certificate>.' }],
  ['a credential in backend', doc('<policies>', '  <backend>', '    <base />', '    <authentication-certificate certificate-id="a" />', '  </backend>', '</policies>'), { line: 4, column: 5, element: 'authentication-certificate', message: '<authentication-certificate> is allowed only in <inbound>, not in <backend>.' }],
  ['basic in outbound', doc('<policies>', '  <outbound>', '    <authentication-basic username="u" password="{{p}}" />', '  </outbound>', '</policies>'), { line: 3, column: 5, element: 'authentication-basic', message: '<authentication-basic> is allowed only in <inbound>, not in <outbound>.' }],
  ['two credential elements', doc('<policies>', '  <inbound>', '    <authentication-certificate certificate-id="a" />', '    <authentication-basic username="u" password="{{p}}" />', '  </inbound>', '</policies>'), { line: 4, column: 5, element: 'authentication-basic', message: '<authentication-basic> is a second credential element: <authentication-certificate> on line 3 already sets one. Keep only one.' }],
  ['basic without username', inbound('<authentication-basic password="{{p}}" />'), { line: 4, column: 5, element: 'authentication-basic', message: '<authentication-basic> needs a username attribute.' }],
  ['basic without password', inbound('<authentication-basic username="u" />'), { line: 4, column: 5, element: 'authentication-basic', message: '<authentication-basic> needs a password attribute that names a named value: password="{{name}}".' }],
  ['a username with ":"', inbound('<authentication-basic username="a:b" password="{{p}}" />'), { line: 4, column: 27, element: 'authentication-basic', message: '<authentication-basic> username may not contain ":" (HTTP Basic authentication cannot carry it).' }],
  ['an empty username', inbound('<authentication-basic username="" password="{{p}}" />'), { line: 4, column: 27, element: 'authentication-basic', message: '<authentication-basic> username may not be empty.' }],
  ['a named value with an invalid name as password', inbound('<authentication-basic username="u" password="{{my pass}}" />'), { line: 4, column: 40, element: 'authentication-basic', message: `<authentication-basic> password names a named value that is not valid: ${NAME_RULE}.` }],
];

const LITERAL_PASSWORD_MESSAGE =
  '<authentication-basic> password must be a named value reference such as password="{{backend-password}}", never the password itself: store the password as a named value and refer to it.';

const headerCases: readonly Case[] = [
  ['set-header without name', inbound('<set-header><value>v</value></set-header>'), { line: 4, column: 5, element: 'set-header', message: '<set-header> needs a name attribute: the header to set.' }],
  ['an invalid header name', inbound('<set-header name="X Bad"><value>v</value></set-header>'), { line: 4, column: 17, element: 'set-header', message: '<set-header> name "X Bad" is not a valid HTTP header name.' }],
  ['a bad exists-action', inbound('<set-header name="X" exists-action="replace"><value>v</value></set-header>'), { line: 4, column: 26, element: 'set-header', message: '<set-header> exists-action must be override, skip, append or delete, not "replace".' }],
  ['no value for append', inbound('<set-header name="X" exists-action="append" />'), { line: 4, column: 5, element: 'set-header', message: '<set-header> needs at least one <value> (only exists-action="delete" takes none).' }],
  ['an empty value', inbound('<set-header name="X"><value /></set-header>'), { line: 4, column: 26, element: 'value', message: '<value> needs text: the header value to set.' }],
  ['a line break in a value', inbound('<set-header name="X"><value>a&#10;b</value></set-header>'), { line: 4, column: 26, element: 'value', message: '<value> may not contain line breaks or control characters: a header value is one line.' }],
  ['a framing header (Content-Length)', inbound('<set-header name="Content-Length"><value>5</value></set-header>'), { line: 4, column: 17, element: 'set-header', message: '<set-header> may not set "Content-Length": it frames the message or the connection, and the gateway sets it itself.' }],
  ['a framing header (transfer-encoding, deleted)', inbound('<set-header name="transfer-encoding" exists-action="delete" />'), { line: 4, column: 17, element: 'set-header', message: '<set-header> may not set "transfer-encoding": it frames the message or the connection, and the gateway sets it itself.' }],
  ['a framing header in outbound (Connection)', doc('<policies>', '  <outbound>', '    <set-header name="Connection"><value>close</value></set-header>', '  </outbound>', '</policies>'), { line: 3, column: 17, element: 'set-header', message: '<set-header> may not set "Connection": it frames the message or the connection, and the gateway sets it itself.' }],
  ['an unknown child of set-header', inbound('<set-header name="X"><val>v</val></set-header>'), { line: 4, column: 26, element: 'val', message: '<set-header> may contain only <value> elements, not <val>.' }],
  ['text directly in set-header', inbound('<set-header name="X">oops<value>v</value></set-header>'), { line: 4, column: 26, element: 'set-header', message: 'Text is not allowed inside <set-header>.' }],
  ['an attribute on value', inbound('<set-header name="X"><value lang="en">v</value></set-header>'), { line: 4, column: 33, element: 'value', message: '<value> has no attribute lang: it takes no attributes.' }],
  ['an element inside value', inbound('<set-header name="X"><value>a<b/></value></set-header>'), { line: 4, column: 34, element: 'b', message: '<value> may not contain <b>: only text.' }],
  ['an invalid named value in a value', inbound('<set-header name="X"><value>{{}}</value></set-header>'), { line: 4, column: 26, element: 'value', message: `<value> text mentions "{{}}", which is not a valid named value reference: ${NAME_RULE}.` }],
];

const xmlCases: readonly Case[] = [
  ['a mismatched end tag', doc('<policies>', '  <inbound>', '    <base />', '</policies>'), { line: 4, column: 1, element: 'policies', message: '</policies> does not close <inbound> (line 2, column 3).' }],
  ['an element never closed', '<policies>\n  <inbound>\n', { line: 2, column: 3, element: 'inbound', message: '<inbound> is never closed: add </inbound>.' }],
  ['an unquoted attribute value', inbound('<set-header name=X />'), { line: 4, column: 17, element: 'set-header', message: 'The value of name in <set-header> must be in quotes.' }],
  ['an attribute twice', inbound('<set-header name="a" name="b" />'), { line: 4, column: 26, element: 'set-header', message: '<set-header> has the attribute name twice.' }],
  ['no space between attributes', inbound('<set-header name="a"exists-action="skip" />'), { line: 4, column: 25, element: 'set-header', message: '<set-header> needs white space before the attribute exists-action.' }],
  ['a bare ampersand', inbound('<set-header name="X"><value>a & b</value></set-header>'), { line: 4, column: 35, element: 'value', message: 'A "&" must be written "&amp;" (or start a reference such as "&lt;").' }],
  ['an undefined entity', inbound('<set-header name="X"><value>a &nbsp; b</value></set-header>'), { line: 4, column: 35, element: 'value', message: 'The entity "&nbsp;" is not defined: only &lt; &gt; &amp; &quot; &apos; and numeric character references are allowed.' }],
  ['a reference to a forbidden character', inbound('<set-header name="X"><value>a &#0; b</value></set-header>'), { line: 4, column: 35, element: 'value', message: '"&#0;" is not a character XML allows.' }],
  ['"<" in an attribute value', inbound('<set-header name="a<b" />'), { line: 4, column: 24, element: 'set-header', message: 'A "<" in an attribute value must be written "&lt;".' }],
  ['a "<" that starts nothing', inbound('< base />'), { line: 4, column: 5, element: 'inbound', message: 'A "<" that does not start an element must be written "&lt;".' }],
  ['"--" in a comment', doc('<policies>', '  <!-- a -- b -->', '</policies>'), { line: 2, column: 10, message: 'A comment may not contain "--".' }],
  ['an unclosed comment', '<policies><!-- x', { line: 1, column: 11, message: 'A comment is never closed with "-->".' }],
  ['text after the root', '<policies/>\nextra\n', { line: 2, column: 1, element: 'policies', message: 'Text after </policies> is not allowed: the policy ends with its root element.' }],
  ['a second root', '<policies/>\n<policies/>\n', { line: 2, column: 1, element: 'policies', message: '<policies> comes after </policies>: a policy has exactly one root element.' }],
  ['an end tag with no start', '<policies></policies></x>', { line: 1, column: 22, element: 'x', message: '</x> has no matching <x>.' }],
  ['an empty document', '  \n', { line: 1, column: 1, message: 'The policy is empty: it needs a <policies> root element.' }],
  ['text before the root', 'hello <policies/>', { line: 1, column: 1, message: 'Text before the root element is not allowed: a policy starts with <policies>.' }],
  ['CDATA before the root', '<![CDATA[x]]><policies/>', { line: 1, column: 1, message: 'A CDATA section is allowed only inside <value>.' }],
  ['a control character', '<policies>\u0001</policies>', { line: 1, column: 11, message: 'The policy contains the character U+0001, which XML does not allow.' }],
  ['a processing instruction', doc('<policies>', '  <?php echo 1; ?>', '</policies>'), { line: 2, column: 3, message: 'Processing instructions ("<?…?>") are not allowed in a policy.' }],
  ['an XML declaration that is not first', '<!-- x -->\n<?xml version="1.0"?>\n<policies/>', { line: 2, column: 1, message: 'The XML declaration <?xml …?> is allowed only at the very start of the policy.' }],
  ['an invalid XML declaration', '<?xml version="2.0"?><policies/>', { line: 1, column: 1, message: 'The XML declaration is not valid: write <?xml version="1.0" encoding="utf-8"?> or leave it out.' }],
  ['another markup declaration', '<policies><!ELEMENT x ANY></policies>', { line: 1, column: 11, message: 'Markup declarations ("<!…>") are not allowed in a policy; only comments and CDATA in <value> are.' }],
];

function refusesAll(cases: readonly Case[]): void {
  it.each(cases)('refuses %s', (_title, xml, expected) => {
    expect(problemOf(parsePolicy(xml))).toEqual(expected);
  });
}

describe('parsePolicy refuses, with line and column', () => {
  describe('the document shape', () => refusesAll(shapeCases));
  describe('credentials', () => refusesAll(credentialCases));
  describe('set-header', () => refusesAll(headerCases));
  describe('XML that is not well-formed or not allowed', () => refusesAll(xmlCases));

  it.each(['hunter2', '', '{{p}}x', 'x{{p}}', '{p}'])('refuses the literal password %j without repeating it', (password) => {
    const xml = inbound(`<authentication-basic username="u" password="${password}" />`);
    const result = parsePolicy(xml);
    expect(problemOf(result)).toEqual({ line: 4, column: 40, element: 'authentication-basic', message: LITERAL_PASSWORD_MESSAGE });
    if (!result.ok && password !== '') expect(JSON.stringify(result.error)).not.toContain(password);
  });

  it('counts CRLF and lone CR as one line break, a tab as one column, and not a BOM', () => {
    const crlf = '<policies>\r\n\t<inbound>\r\n\t\t<bogus/>\r\n\t</inbound>\r\n</policies>\r\n';
    expect(problemOf(parsePolicy(crlf))).toMatchObject({ line: 3, column: 3, element: 'bogus' });
    expect(problemOf(parsePolicy('<policies>\r  <bogus/>\r</policies>'))).toMatchObject({ line: 2, column: 3, element: 'bogus' });
    expect(problemOf(parsePolicy('\ufeff<policy/>'))).toMatchObject({ line: 1, column: 1, element: 'policy' });
    expect(problemOf(parsePolicy('\ufeff<policies><x/></policies>'))).toMatchObject({ line: 1, column: 11, element: 'x' });
  });

  it('puts the position in the message for people', () => {
    const result = parsePolicy(inbound('<authentication-certificate />'));
    expect(!result.ok && result.error.message).toBe(
      'Line 4, column 5: <authentication-certificate> needs either certificate-id or thumbprint.',
    );
  });
});
