import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en';
import { fr } from '../../renderer/i18n/fr';

const NARROW_NBSP = '\u202f';

/**
 * Where French typography wants a narrow no-break space before `:`, `;`, `?` or `!` and the string lacks it.
 * A mark inside a token (`https://localhost:9443`, `/echo?x=1`) is no punctuation; the HTTP header syntax the
 * operator types (`Nom: valeur`) is quoted code, not prose.
 */
function typographyFaults(text: string): string[] {
  const prose = text.replace(/« Nom: valeur »/g, '« … »');
  const faults: string[] = [];
  for (const match of prose.matchAll(/[:;?!]/g)) {
    const at = match.index;
    const before = prose[at - 1];
    const after = prose[at + 1];
    const inToken = before !== undefined && /\S/.test(before) && after !== undefined && /[^\s»)."]/.test(after);
    if (before !== NARROW_NBSP && !inToken) faults.push(prose.slice(Math.max(0, at - 12), at + 2));
  }
  return faults;
}

describe('French catalogue', () => {
  it('puts a narrow no-break space (U+202F) before every : ; ? ! in every string', () => {
    const faults = Object.entries(fr).flatMap(([key, text]) => typographyFaults(text).map((where) => `${key}: "${where}"`));
    expect(faults).toEqual([]);
  });

  it('the check finds a plain or missing space, and accepts tokens', () => {
    expect(typographyFaults('Passerelle: En service')).toHaveLength(1);
    expect(typographyFaults('Supprimer ?')).toHaveLength(1);
    expect(typographyFaults('Fin !')).toHaveLength(1);
    expect(typographyFaults(`Passerelle${NARROW_NBSP}: En service${NARROW_NBSP}!`)).toEqual([]);
    expect(typographyFaults('par exemple https://localhost:9443 ou /echo?x=1')).toEqual([]);
  });

  it('says "Chargement…" only for loading, "Envoi…" for uploading', () => {
    expect(fr['common.loading']).toBe('Chargement…');
    expect(fr['upload.uploading']).toBe('Envoi…');
    const loadingElsewhere = Object.entries(fr).filter(([key, text]) => key !== 'common.loading' && /\bChargement\b/.test(text));
    expect(loadingElsewhere).toEqual([]);
  });

  it('the labels that used to be followed by a colon in code carry it, with its space', () => {
    expect(fr['status.gateway']).toBe(`Passerelle${NARROW_NBSP}: {state}`);
    expect(fr['api.gatewayUrl']).toBe(`URL de la passerelle${NARROW_NBSP}: {url}`);
    expect(en['status.gateway']).toBe('Gateway: {state}');
  });
});
