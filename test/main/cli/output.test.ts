import { describe, expect, it } from 'vitest';
import { expiryInWords, fitTable, thumbprintForPeople } from '../../../main/cli/output';
import { displayWidth, printable, textStyle, truncate } from '../../../main/cli/text';
import { createI18n } from '../../../renderer/i18n';
import { expiryLabel } from '../../../renderer/src/certificates/expiry-text';

const THUMBPRINT = '4F9A0C1D2E3B4A5968778695A4B3C2D1E0F18ABB';
const ESC = '\u001b';

describe('thumbprints for people', () => {
  it('are printed whole: no space, nothing inserted, when the output is not a terminal', () => {
    expect(thumbprintForPeople(THUMBPRINT, textStyle({ isTTY: false }, {}))).toBe(THUMBPRINT);
    expect(thumbprintForPeople(THUMBPRINT)).toBe(THUMBPRINT);
  });

  it('on a terminal, only the last four characters are emphasised, and the text still reads as one word', () => {
    const shown = thumbprintForPeople(THUMBPRINT, textStyle({ isTTY: true }, {}));
    expect(shown).not.toBe(THUMBPRINT);
    expect(shown.startsWith(THUMBPRINT.slice(0, -4))).toBe(true);
    expect(shown).toMatch(new RegExp(`^${THUMBPRINT.slice(0, -4)}${ESC}\\[[0-9;]+m8ABB${ESC}\\[[0-9;]+m$`));
    expect(shown.replace(/\u001b\[[0-9;]*m/g, '')).toBe(THUMBPRINT);
    expect(shown).not.toContain(' ');
  });

  it('NO_COLOR and TERM=dumb turn emphasis off on a terminal; FORCE_COLOR turns it on through a pipe', () => {
    expect(textStyle({ isTTY: true }, { NO_COLOR: '1' }).color).toBe(false);
    expect(textStyle({ isTTY: true }, { TERM: 'dumb' }).color).toBe(false);
    expect(textStyle({ isTTY: true }, { NO_COLOR: '' }).color).toBe(true);
    expect(textStyle({ isTTY: false }, { FORCE_COLOR: '1' }).color).toBe(true);
    expect(textStyle({ isTTY: false }, { FORCE_COLOR: '0' }).color).toBe(false);
    expect(textStyle({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' }).color).toBe(false);
  });
});

describe('expiry in words', () => {
  const i18n = createI18n('en');
  const now = Date.parse('2026-03-15T12:00:00Z');
  const hours = [-24 * 800, -24 * 31, -24 * 3, -30, -24, -1, -0.001, 0, 0.001, 1, 23, 24, 25, 47, 48, 24 * 29.5, 24 * 30, 24 * 400, 24 * 1200];

  it.each(hours)('says what the console says %s hours from expiry', (h) => {
    const notAfter = new Date(now + h * 3_600_000).toISOString();
    expect(expiryInWords(notAfter, new Date(now))).toBe(expiryLabel(i18n, notAfter, now));
  });

  it('uses the words operators read in the console', () => {
    const at = (h: number): string => expiryInWords(new Date(now + h * 3_600_000).toISOString(), new Date(now));
    expect([at(24 * 12 + 1), at(25), at(1), at(-1), at(-25), at(-24 * 3 - 1)]).toEqual([
      'expires in 12 days',
      'expires tomorrow',
      'expires today',
      'expired today',
      'expired yesterday',
      'expired 3 days ago',
    ]);
  });
});

describe('terminal text', () => {
  it('neutralises control characters and escape sequences from a certificate that lies', () => {
    const hostile = `CN=evil${ESC}[2J${ESC}]0;owned\u0007\r\nO=x\u202eexe.txt\u009b31m`;
    const shown = printable(hostile);
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(shown).toBe('CN=evil\\x1b[2J\\x1b]0;owned\\x07\\x0d\\x0aO=x\\u{202e}exe.txt\\x9b31m');
  });

  it('measures wide characters as two columns and cuts with an ellipsis within the width', () => {
    expect(displayWidth('証明書')).toBe(6);
    expect(displayWidth(`${ESC}[1;36m8ABB${ESC}[22;39m`)).toBe(4);
    expect(truncate('CN=証明書クライアント', 8)).toBe('CN=証明…');
    expect(displayWidth(truncate('CN=証明書クライアント', 8))).toBeLessThanOrEqual(8);
    expect(truncate('short', 8)).toBe('short');
  });

  it('fitTable shrinks the columns it may, in order, and reports it', () => {
    const rows = [['id-1', 'x'.repeat(80), 'y'.repeat(40)]];
    const fitted = fitTable(['ID', 'SUBJECT', 'THUMBPRINT'], rows, 60, [{ column: 1, min: 5 }]);
    expect(fitted.shortened).toBe(true);
    for (const line of fitted.text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    expect(fitted.text).toContain('y'.repeat(40));
    expect(fitTable(['ID'], [['a']], 60, [{ column: 0, min: 1 }]).shortened).toBe(false);
  });
});
