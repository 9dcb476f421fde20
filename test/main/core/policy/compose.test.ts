import { describe, expect, it } from 'vitest';
import { composePolicies, DEFAULT_GLOBAL_POLICY_XML, DEFAULT_POLICY_XML, parsePolicy, parsePolicySections, type ScopedPolicy } from '../../../../main/core/policy';

function scope(label: string, xml: string): ScopedPolicy {
  const parsed = parsePolicySections(xml);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { label, sections: parsed.value.sections };
}

const header = (name: string, value: string) => `<set-header name="${name}" exists-action="override"><value>${value}</value></set-header>`;

const GLOBAL = `<policies><inbound>${header('X-Scope', 'global')}${header('X-Global', '1')}</inbound><backend /><outbound>${header('X-Out', 'global')}</outbound><on-error /></policies>`;
const API = `<policies><inbound>${header('X-Scope', 'api-before')}<base />${header('X-Scope', 'api')}<authentication-certificate certificate-id="api-cert" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

describe('policy scopes composed through <base />', () => {
  it('inlines each enclosing scope where <base /> stands, in order', () => {
    const composed = composePolicies([scope('All APIs', GLOBAL), scope('API "Orders"', API), scope('Operation "Get"', DEFAULT_POLICY_XML)]);
    expect(composed.effect.inboundHeaders.map((h) => `${h.name}=${h.values.join()}`)).toEqual([
      'X-Scope=api-before',
      'X-Scope=global',
      'X-Global=1',
      'X-Scope=api',
    ]);
    expect(composed.effect.outboundHeaders.map((h) => h.values.join())).toEqual(['global']);
    expect(composed.effect.credential).toEqual({ type: 'certificate', by: 'certificate-id', value: 'api-cert' });
  });

  it("lets an operation's credential replace the API's, keeping the inherited headers", () => {
    const op = `<policies><inbound><base /><authentication-certificate certificate-id="op-cert" /></inbound></policies>`;
    const composed = composePolicies([scope('All APIs', GLOBAL), scope('API', API), scope('Operation', op)]);
    expect(composed.effect.credential).toEqual({ type: 'certificate', by: 'certificate-id', value: 'op-cert' });
    expect(composed.effect.inboundHeaders.map((h) => h.values.join())).toEqual(['api-before', 'global', '1', 'api']);
    expect(composed.xml).not.toContain('api-cert');
    const basic = `<policies><inbound><authentication-basic username="u" password="{{pw}}" /><base /></inbound></policies>`;
    expect(composePolicies([scope('A', API), scope('O', basic)]).effect.credential).toEqual({ type: 'basic', username: 'u', passwordNamedValue: 'pw' });
  });

  it('inherits nothing into a section without <base />, and everything into a section left out', () => {
    const noBase = `<policies><inbound>${header('X-Op', '1')}</inbound><backend /><outbound /><on-error /></policies>`;
    const cut = composePolicies([scope('All APIs', GLOBAL), scope('API', API), scope('Operation', noBase)]);
    expect(cut.effect.credential).toEqual({ type: 'none' });
    expect(cut.effect.inboundHeaders.map((h) => h.name)).toEqual(['X-Op']);
    expect(cut.effect.outboundHeaders).toEqual([]);
    const leftOut = composePolicies([scope('All APIs', GLOBAL), scope('Operation', '<policies />')]);
    expect(leftOut.effect.inboundHeaders.map((h) => h.name)).toEqual(['X-Scope', 'X-Global']);
  });

  it('behaves exactly as the API alone under the default global policy (stores from before scopes)', () => {
    const alone = parsePolicy(API);
    if (!alone.ok) throw new Error('bad');
    const composed = composePolicies([scope('All APIs', DEFAULT_GLOBAL_POLICY_XML), scope('API', API)]);
    expect(composed.effect).toEqual({ credential: alone.value.credential, inboundHeaders: alone.value.inboundHeaders, outboundHeaders: alone.value.outboundHeaders });
  });

  it('writes a read-only effective document that names each part\'s scope and parses again', () => {
    const composed = composePolicies([scope('All APIs', GLOBAL), scope('API "Orders -- v2"', API), scope('Operation "Get"', DEFAULT_POLICY_XML)]);
    expect(composed.xml).toContain('<!-- All APIs -->');
    expect(composed.xml).toContain('<!-- API "Orders - v2" -->');
    expect(composed.xml).toContain('<backend />');
    const again = parsePolicy(composed.xml);
    expect(again.ok && again.value.inboundHeaders.length).toBe(4);
    expect(again.ok && again.value.credential).toEqual(composed.effect.credential);
  });
});
