import { describe, expect, it } from 'vitest';
import { certificateReferences, namedValueReferences, parsePolicy, setCredential } from '../../../../main/core/policy';
import { problemOf } from './helpers';

/** Run `fn` and return its result and how long it took, in milliseconds. */
function timed<T>(fn: () => T): { readonly result: T; readonly ms: number } {
  const start = performance.now();
  const result = fn();
  return { result, ms: performance.now() - start };
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<policies><inbound><set-header name="X"><value>&lol9;</value></set-header></inbound></policies>
`;

const XXE = `<!DOCTYPE policies [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<policies><inbound><authentication-basic username="&xxe;" password="{{p}}"/></inbound></policies>`;

const DOCTYPE_MESSAGE = 'A <!DOCTYPE> declaration is not allowed in a policy: it could define entities or read external files.';

describe('hostile XML is refused quickly and never expanded', () => {
  it('refuses the billion laughs at its DOCTYPE', () => {
    const { result, ms } = timed(() => parsePolicy(BILLION_LAUGHS));
    expect(problemOf(result)).toEqual({ line: 2, column: 1, element: '!DOCTYPE', message: DOCTYPE_MESSAGE });
    expect(ms).toBeLessThan(1000);
  });

  it('refuses an external entity at its DOCTYPE, whatever the case', () => {
    expect(problemOf(parsePolicy(XXE))).toEqual({ line: 1, column: 1, element: '!DOCTYPE', message: DOCTYPE_MESSAGE });
    expect(problemOf(parsePolicy(XXE.replace('DOCTYPE', 'doctype')))).toMatchObject({ line: 1, column: 1, element: '!DOCTYPE' });
  });

  it('refuses an ENTITY declaration on its own and entity references without one', () => {
    expect(problemOf(parsePolicy('<policies>\n<!ENTITY x "y">\n</policies>'))).toEqual({
      line: 2,
      column: 1,
      element: '!ENTITY',
      message: 'An <!ENTITY> declaration is not allowed in a policy: entities are never expanded.',
    });
    expect(problemOf(parsePolicy('<policies><inbound><authentication-basic username="&xxe;" password="{{p}}"/></inbound></policies>'))).toMatchObject({
      line: 1,
      column: 52,
      element: 'authentication-basic',
    });
  });

  it('does not decode twice: "&amp;lt;" stays "&lt;"', () => {
    const result = parsePolicy('<policies><inbound><set-header name="X"><value>&amp;lt;&amp;#65;</value></set-header></inbound></policies>');
    expect(result.ok && result.value.inboundHeaders[0]?.values).toEqual(['&lt;&#65;']);
  });

  it('refuses nesting deeper than 32 elements quickly, at the 33rd', () => {
    const depth = 20_000;
    const xml = `<policies>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</policies>`;
    expect(xml.length).toBeLessThan(256 * 1024);
    const { result, ms } = timed(() => parsePolicy(xml));
    // <policies> is the first element: the 33rd is the 32nd <a>, after 10 + 31 * 3 characters.
    expect(problemOf(result)).toEqual({ line: 1, column: 104, element: 'a', message: '<a> is nested more than 32 elements deep.' });
    expect(ms).toBeLessThan(1000);
  });

  it('refuses a 300 KiB input at once, before reading it', () => {
    const xml = `<policies><!--${'x'.repeat(300 * 1024)}--></policies>`;
    const { result, ms } = timed(() => parsePolicy(xml));
    expect(problemOf(result)).toEqual({ line: 1, column: 1, message: 'The policy is 301 KiB; a policy may have at most 256 KiB.' });
    expect(ms).toBeLessThan(1000);
    expect(timed(() => setCredential(xml, { type: 'none' })).result.ok).toBe(false);
    expect(certificateReferences(xml)).toEqual([]);
    expect(namedValueReferences(xml)).toEqual([]);
  });

  it('parses a policy just under the limit in linear time (many attributes, headers, comments)', () => {
    const attrs = Array.from({ length: 20_000 }, (_, i) => ` a${i}=""`).join('');
    const manyAttributes = `<policies><inbound${attrs}/></policies>`;
    expect(manyAttributes.length).toBeLessThan(256 * 1024);
    const a = timed(() => parsePolicy(manyAttributes));
    expect(problemOf(a.result)).toMatchObject({ line: 1, column: 20, element: 'inbound' });
    expect(a.ms).toBeLessThan(1000);

    const header = '<set-header name="X-A" exists-action="append"><value>v</value></set-header><!-- c -->\n';
    const count = Math.floor((250 * 1024) / header.length);
    const big = `<policies><inbound>\n${header.repeat(count)}</inbound></policies>`;
    const b = timed(() => parsePolicy(big));
    expect(b.result.ok && b.result.value.inboundHeaders.length).toBe(count);
    expect(b.ms).toBeLessThan(1000);
  });

  it('refuses processing instructions and a stylesheet', () => {
    expect(problemOf(parsePolicy('<?xml-stylesheet href="http://evil/x.xsl"?><policies/>'))).toEqual({
      line: 1,
      column: 1,
      message: 'Processing instructions ("<?…?>") are not allowed in a policy.',
    });
  });

  it('refuses lone surrogates and U+FFFE', () => {
    expect(problemOf(parsePolicy('<policies>\ud800</policies>'))).toMatchObject({ line: 1, column: 11 });
    expect(problemOf(parsePolicy('<policies>\n\ufffe</policies>'))).toMatchObject({ line: 2, column: 1 });
    expect(parsePolicy('<policies><inbound><set-header name="X"><value>\u{1F600}</value></set-header></inbound></policies>').ok).toBe(true);
  });
});
