import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_XML, parsePolicy } from '../../../../main/core/policy';
import { contextOf, doc, problemOf } from './helpers';

const THUMBPRINT = '0123456789ABCDEF0123456789ABCDEF01234567';

describe('parsePolicy: accepted documents', () => {
  it('accepts the default policy: no credential, no headers, the text kept as is', () => {
    expect(DEFAULT_POLICY_XML.startsWith('<policies>\n    <inbound>\n        <base />\n    </inbound>\n')).toBe(true);
    expect(DEFAULT_POLICY_XML.endsWith('</policies>\n')).toBe(true);
    expect(parsePolicy(DEFAULT_POLICY_XML)).toEqual({
      ok: true,
      value: { credential: { type: 'none' }, inboundHeaders: [], outboundHeaders: [], xml: DEFAULT_POLICY_XML },
    });
  });

  it('accepts authentication-certificate by certificate-id', () => {
    const xml = doc('<policies>', '  <inbound>', '    <base />', '    <authentication-certificate certificate-id="client1" />', '  </inbound>', '</policies>');
    const ctx = contextOf({ ids: ['client1'] });
    const result = parsePolicy(xml, ctx);
    expect(result.ok && result.value.credential).toEqual({ type: 'certificate', by: 'certificate-id', value: 'client1' });
    expect(ctx.asked).toEqual(['id:client1']);
  });

  it('accepts authentication-certificate by thumbprint, normalised to upper case without separators', () => {
    const written = '01 23 45 67 89 ab cd ef 01:23:45:67:89:ab:cd:ef-01-23-45-67';
    const xml = `<policies><inbound><authentication-certificate thumbprint="\u200e${written}"/></inbound></policies>`;
    const ctx = contextOf({ thumbprints: [THUMBPRINT] });
    const result = parsePolicy(xml, ctx);
    expect(result.ok && result.value.credential).toEqual({ type: 'certificate', by: 'thumbprint', value: THUMBPRINT });
    expect(ctx.asked).toEqual([`thumbprint:${THUMBPRINT}`]);
  });

  it('accepts authentication-basic with a named-value password', () => {
    const xml = `<policies><inbound><base/><authentication-basic username="svc" password="{{backend-pass.v2}}" /></inbound></policies>`;
    const ctx = contextOf({ namedValues: ['backend-pass.v2'] });
    const result = parsePolicy(xml, ctx);
    expect(result.ok && result.value.credential).toEqual({ type: 'basic', username: 'svc', passwordNamedValue: 'backend-pass.v2' });
    expect(ctx.asked).toEqual(['named:backend-pass.v2']);
  });

  it('accepts set-header in every section; inbound then backend go to the request, outbound to the response', () => {
    const xml = doc(
      '<policies>',
      '  <outbound>',
      '    <set-header name="X-Out" exists-action="append"><value>a</value><value>b</value></set-header>',
      '  </outbound>',
      '  <backend>',
      '    <set-header name="X-Backend"><value>2</value></set-header>',
      '  </backend>',
      '  <inbound>',
      '    <base />',
      '    <set-header name="X-Skip" exists-action="skip"><value>1</value></set-header>',
      '    <set-header name="Cookie" exists-action="delete" />',
      '  </inbound>',
      '  <on-error>',
      '    <set-header name="X-Error" exists-action="override"><value>e</value></set-header>',
      '  </on-error>',
      '</policies>',
    );
    const result = parsePolicy(xml);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.inboundHeaders).toEqual([
      { name: 'X-Skip', existsAction: 'skip', values: ['1'] },
      { name: 'Cookie', existsAction: 'delete', values: [] },
      { name: 'X-Backend', existsAction: 'override', values: ['2'] },
    ]);
    expect(result.value.outboundHeaders).toEqual([{ name: 'X-Out', existsAction: 'append', values: ['a', 'b'] }]);
  });

  it('decodes entities, character references and CDATA in values, skipping comments', () => {
    const xml =
      '<policies><inbound><set-header name="X-V">' +
      '<value>a&amp;b &lt;&#65;&#x42;&gt; &quot;&apos; &amp;lt;<!-- no -->c</value>' +
      '<value><![CDATA[<raw> & {not decoded}]]></value>' +
      '</set-header></inbound></policies>';
    const result = parsePolicy(xml);
    expect(result.ok && result.value.inboundHeaders[0]?.values).toEqual([`a&b <AB> "' &lt;c`, '<raw> & {not decoded}']);
  });

  it('accepts sections in any order, all optional, comments, an XML declaration, a BOM and CRLF', () => {
    const crlf = '\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<!-- top -->\r\n<policies>\r\n\t<!-- c -->\r\n\t<on-error/>\r\n\t<inbound><base></base></inbound>\r\n</policies>\r\n<!-- end -->\r\n';
    expect(parsePolicy(crlf).ok).toBe(true);
    expect(parsePolicy('<policies/>').ok).toBe(true);
    expect(parsePolicy("<policies><inbound><authentication-certificate certificate-id='a'></authentication-certificate></inbound></policies>").ok).toBe(true);
  });

  it('skips reference checks without a context', () => {
    const xml = '<policies><inbound><authentication-basic username="u" password="{{nowhere}}"/></inbound></policies>';
    expect(parsePolicy(xml).ok).toBe(true);
  });
});

describe('parsePolicy: references checked against the context', () => {
  it('refuses an unknown certificate id at its attribute', () => {
    const xml = doc('<policies>', '  <inbound>', '    <authentication-certificate certificate-id="gone" />', '  </inbound>', '</policies>');
    expect(problemOf(parsePolicy(xml, contextOf({ ids: ['other'] })))).toEqual({
      message: '<authentication-certificate> refers to the certificate "gone", which does not exist: upload it or pick another certificate.',
      line: 3,
      column: 33,
      element: 'authentication-certificate',
    });
  });

  it('refuses an unknown thumbprint', () => {
    const xml = `<policies><inbound><authentication-certificate thumbprint="${THUMBPRINT.toLowerCase()}"/></inbound></policies>`;
    const problem = problemOf(parsePolicy(xml, contextOf({})));
    expect(problem.message).toBe(
      `<authentication-certificate> refers to the thumbprint ${THUMBPRINT}, and no uploaded certificate has it: upload it or pick another certificate.`,
    );
    expect([problem.line, problem.column]).toEqual([1, 48]);
  });

  it('refuses an unknown named value in a password and in a header value', () => {
    const basic = doc('<policies>', '  <inbound>', '    <authentication-basic username="u" password="{{missing}}" />', '  </inbound>', '</policies>');
    expect(problemOf(parsePolicy(basic, contextOf({})))).toEqual({
      message: '<authentication-basic> password refers to the named value "missing", which does not exist: create it first.',
      line: 3,
      column: 40,
      element: 'authentication-basic',
    });
    const header = doc('<policies>', '  <outbound>', '    <set-header name="X-Key">', '      <value>key {{api-key}}</value>', '    </set-header>', '  </outbound>', '</policies>');
    expect(problemOf(parsePolicy(header, contextOf({ namedValues: ['other'] })))).toEqual({
      message: '<value> text refers to the named value "api-key", which does not exist: create it first.',
      line: 4,
      column: 7,
      element: 'value',
    });
    expect(parsePolicy(header, contextOf({ namedValues: ['api-key'] })).ok).toBe(true);
  });
});
