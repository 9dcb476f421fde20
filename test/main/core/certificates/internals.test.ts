/**
 * Building blocks checked against independent implementations: the PKCS #12 KDF against node-forge's,
 * the BER reader on indefinite lengths, RFC 4514 escaping and the subjectAltName splitter.
 */
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { splitSubjectAltNames } from '../../../../main/core/certificates/certificate-info';
import { children, newBudget, octets, readDer } from '../../../../main/core/certificates/der';
import { CertificateFileError } from '../../../../main/core/certificates/errors';
import { passwordForms, pkcs12Kdf } from '../../../../main/core/certificates/kdf';
import { escapeValue } from '../../../../main/core/certificates/names';
import { DIGESTS } from '../../../../main/core/certificates/oids';
import { newPacer } from '../../../../main/core/certificates/pacer';

const SHA1 = DIGESTS['1.3.14.3.2.26']!;
const SHA256 = DIGESTS['2.16.840.1.101.3.4.2.1']!;

describe('PKCS #12 KDF', () => {
  const cases = [
    { password: undefined, form: 'absent' },
    { password: '', form: 'empty' },
    { password: 'smeg', form: 'given' },
    { password: 'pässwörd-日本', form: 'given' },
    { password: 'x'.repeat(70), form: 'given' },
  ] as const;
  it.each(cases)('matches node-forge for the $form password %#', async ({ password, form }) => {
    const pw = passwordForms(password).find((f) => f.kind === form)!;
    for (const [digest, md] of [[SHA1, () => forge.md.sha1.create()], [SHA256, () => forge.md.sha256.create()]] as const) {
      for (const [id, iterations, length, saltLength] of [[1, 1, 24, 8], [2, 2048, 8, 8], [3, 1000, digest.size, 20], [1, 3, 70, 0]] as const) {
        const salt = Buffer.alloc(saltLength, 0x5a);
        const ours = await pkcs12Kdf(digest, pw.bmp, salt, id, iterations, length, newPacer());
        const forgePassword = form === 'absent' ? null : (password ?? '');
        const theirs = forge.pkcs12.generateKey(forgePassword as string, forge.util.createBuffer(salt.toString('binary')), id, iterations, length, md());
        expect(ours.toString('hex')).toBe(forge.util.bytesToHex(theirs.getBytes()));
      }
    }
  });

  it('encodes passwords as PKCS #12 and PBKDF2 expect them', () => {
    expect(passwordForms(undefined).map((f) => [f.kind, Buffer.from(f.bmp).toString('hex')])).toEqual([['absent', ''], ['empty', '0000']]);
    expect(passwordForms('').map((f) => f.kind)).toEqual(['empty', 'absent']);
    const [given] = passwordForms('aé');
    expect(Buffer.from(given!.bmp).toString('hex')).toBe('006100e90000');
    expect(Buffer.from(given!.utf8).toString('hex')).toBe('61c3a9');
  });
});

describe('DER/BER reader', () => {
  it('reads indefinite lengths and constructed OCTET STRINGs', () => {
    const ber = Buffer.from('3080' + '2480' + '0402abcd' + '0401ef' + '0000' + '020105' + '0000', 'hex');
    const top = readDer(ber, newBudget());
    const [str, int] = children(top);
    expect(Buffer.from(octets(str)).toString('hex')).toBe('abcdef');
    expect(int!.content[0]).toBe(5);
    expect(top.bytes.length).toBe(ber.length);
  });

  it('refuses truncation, runaway lengths, deep nesting and exhausted budgets with invalid-format', () => {
    for (const hex of ['30', '3005020101', '3084ffffffff', '0480', '30800201', '1f']) {
      expect(() => readDer(Buffer.from(hex, 'hex'), newBudget())).toThrow(CertificateFileError);
    }
    expect(() => readDer(Buffer.alloc(200, Buffer.from('3080', 'hex')), newBudget())).toThrow(/damaged/);
    const manyNulls = Buffer.concat([Buffer.from('3080', 'hex'), Buffer.alloc(1000, Buffer.from('0500', 'hex')), Buffer.from('0000', 'hex')]);
    expect(() => children(readDer(manyNulls, newBudget(100)))).toThrow(CertificateFileError);
    expect(children(readDer(manyNulls, newBudget(2000)))).toHaveLength(500);
  });
});

describe('names', () => {
  it('escapes values per RFC 4514', () => {
    expect(escapeValue('Smith, John')).toBe('Smith\\, John');
    expect(escapeValue(' #x ')).toBe('\\ #x\\ ');
    expect(escapeValue('#x')).toBe('\\#x');
    expect(escapeValue('a+b;c<d>e"f\\g')).toBe('a\\+b\\;c\\<d\\>e\\"f\\\\g');
    expect(escapeValue('nul\u0000tab\t')).toBe('nul\\00tab\\09');
    expect(escapeValue('日本')).toBe('日本');
  });

  it('splits Node subjectAltName text, unquoting quoted values', () => {
    expect(splitSubjectAltNames(undefined)).toEqual([]);
    expect(splitSubjectAltNames('DNS:a.example, IP Address:10.0.0.1')).toEqual(['DNS:a.example', 'IP Address:10.0.0.1']);
    expect(splitSubjectAltNames('DNS:"evil.example, DNS:good.example", URI:"http://x/\\"y\\""')).toEqual([
      'DNS:evil.example, DNS:good.example',
      'URI:http://x/"y"',
    ]);
  });
});
