import { describe, expect, it } from 'vitest';
import { certificateReferences, namedValueReferences, parsePolicy, setCredential } from '../../../../main/core/policy';
import { contextOf, doc, problemOf } from './helpers';

describe('certificateReferences', () => {
  it('lists a certificate-id reference', () => {
    const xml = '<policies><inbound><base/><authentication-certificate certificate-id="client1"/></inbound></policies>';
    expect(certificateReferences(xml)).toEqual([{ by: 'certificate-id', value: 'client1' }]);
  });

  it('lists a thumbprint upper-case without separators', () => {
    const xml = '<policies><inbound><authentication-certificate thumbprint="ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01"/></inbound></policies>';
    expect(certificateReferences(xml)).toEqual([{ by: 'thumbprint', value: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' }]);
  });

  it('finds references even in a document that fails validation, so none is missed', () => {
    const xml = doc(
      '<policies>',
      '  <inbound><authentication-certificate certificate-id="a"/></inbound>',
      '  <backend><authentication-certificate certificate-id="b" thumbprint="0a"/></backend>',
      '</policies>',
    );
    expect(parsePolicy(xml).ok).toBe(false);
    expect(certificateReferences(xml)).toEqual([
      { by: 'certificate-id', value: 'a' },
      { by: 'certificate-id', value: 'b' },
      { by: 'thumbprint', value: '0A' },
    ]);
  });

  it('finds none in malformed XML, in comments, or with no credential', () => {
    expect(certificateReferences('<policies><inbound>')).toEqual([]);
    expect(certificateReferences('<policies><!-- <authentication-certificate certificate-id="a"/> --></policies>')).toEqual([]);
    expect(certificateReferences('<policies/>')).toEqual([]);
  });
});

describe('namedValueReferences', () => {
  it('lists each named value once, in document order, from attributes and text', () => {
    const xml = doc(
      '<policies>',
      '  <outbound><set-header name="X-B"><value>{{beta}}-{{alpha}}</value></set-header></outbound>',
      '  <inbound>',
      '    <authentication-basic username="{{user}}" password="{{alpha}}" />',
      '    <!-- {{in-a-comment}} -->',
      '    <set-header name="X-C"><value><![CDATA[{{gamma.v1}}]]></value></set-header>',
      '  </inbound>',
      '</policies>',
    );
    expect(namedValueReferences(xml)).toEqual(['beta', 'alpha', 'user', 'gamma.v1']);
  });

  it('ignores mentions whose name is not valid, and malformed XML', () => {
    expect(namedValueReferences('<policies><inbound><set-header name="X"><value>{{a b}} {{}} {{ok_1}}</value></set-header></inbound></policies>')).toEqual([
      'ok_1',
    ]);
    expect(namedValueReferences('<policies><inbound>{{x}}')).toEqual([]);
  });
});

describe('named value rules', () => {
  const basic = (password: string): string =>
    doc('<policies>', '  <inbound>', `    <authentication-basic username="u" password="${password}" />`, '  </inbound>', '</policies>');

  it('accepts letters, digits, "-", "_" and "." up to 256 characters', () => {
    for (const name of ['a', 'A-b_c.9', 'x'.repeat(256), '0', '...']) {
      const result = parsePolicy(basic(`{{${name}}}`));
      expect(result.ok && result.value.credential).toEqual({ type: 'basic', username: 'u', passwordNamedValue: name });
    }
  });

  it.each(['x'.repeat(257), 'a b', 'é', 'a/b', '', ' a'])('refuses the name %j', (name) => {
    expect(problemOf(parsePolicy(basic(`{{${name}}}`)))).toEqual({
      line: 3,
      column: 40,
      element: 'authentication-basic',
      message: '<authentication-basic> password names a named value that is not valid: a name has 1 to 256 letters, digits, "-", "_" or ".".',
    });
  });

  it('checks named values in usernames against the context', () => {
    const xml = doc('<policies>', '  <inbound>', '    <authentication-basic username="{{user}}" password="{{pass}}" />', '  </inbound>', '</policies>');
    expect(problemOf(parsePolicy(xml, contextOf({ namedValues: ['pass'] })))).toEqual({
      line: 3,
      column: 27,
      element: 'authentication-basic',
      message: '<authentication-basic> username refers to the named value "user", which does not exist: create it first.',
    });
    const ctx = contextOf({ namedValues: ['pass', 'user'] });
    expect(parsePolicy(xml, ctx).ok).toBe(true);
    expect(ctx.asked).toEqual(['named:user', 'named:pass']);
  });

  it('writes only the reference into the policy, never a password', () => {
    const result = setCredential('<policies/>', { type: 'basic', username: 'u', passwordNamedValue: 'vault.backend-1' });
    expect(result.ok && namedValueReferences(result.value)).toEqual(['vault.backend-1']);
    expect(result.ok && result.value).toContain('password="{{vault.backend-1}}"');
  });
});
