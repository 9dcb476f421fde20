/**
 * Distinguished names as RFC 4514 strings (most specific RDN first, "CN=client1,O=Contoso,C=US") and
 * X.509 times as ISO 8601, read from the certificate's own DER so the output does not depend on how a
 * given OpenSSL or BoringSSL build prints names.
 */
import { isUniversal, oid, readDer, sequence, set, type Der, type DerBudget } from './der';
import { DAMAGED, refuse } from './errors';

/** Short names: RFC 4514 section 3, then the other descriptors registered for LDAP that certificates use. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};
const COMMON_NAME = '2.5.4.3';

/** The parts of a certificate the metadata needs, read from its DER. */
export interface CertificateFields {
  readonly subject: string;
  readonly issuer: string;
  readonly commonName: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

/** Read subject, issuer and validity from a certificate's DER. */
export function certificateFields(der: Uint8Array, budget: DerBudget): CertificateFields {
  const [tbs] = sequence(readDer(der, budget), 3);
  const fields = sequence(tbs, 6);
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, ...
  const offset = fields[0]!.cls === 2 ? 1 : 0;
  const issuer = fields[offset + 2];
  const [notBefore, notAfter] = sequence(fields[offset + 3], 2);
  const subject = fields[offset + 4];
  const subjectRdns = rdns(subject);
  const cn = subjectRdns.flat().filter((a) => a.type === COMMON_NAME);
  return {
    subject: formatName(subjectRdns),
    issuer: formatName(rdns(issuer)),
    commonName: cn.length > 0 ? cn[cn.length - 1]!.text : '',
    notBefore: time(notBefore),
    notAfter: time(notAfter),
  };
}

interface Attribute {
  readonly type: string;
  readonly value: Der;
  readonly text: string;
}

function rdns(name: Der | undefined): Attribute[][] {
  return sequence(name).map((rdn) =>
    set(rdn).map((atv) => {
      const [typeNode, value] = sequence(atv, 2);
      return { type: oid(typeNode), value: value!, text: stringValue(value!) ?? '' };
    }),
  );
}

/** RFC 4514: RDNs in reverse order of the DER sequence, multi-valued RDNs joined by "+". */
function formatName(list: readonly Attribute[][]): string {
  return [...list]
    .reverse()
    .map((rdn) => rdn.map(formatAttribute).join('+'))
    .join(',');
}

function formatAttribute(attr: Attribute): string {
  const short = SHORT_NAMES[attr.type];
  const text = stringValue(attr.value);
  if (short === undefined || text === null) {
    return `${short ?? attr.type}=#${Buffer.from(attr.value.bytes).toString('hex').toUpperCase()}`;
  }
  return `${short}=${escapeValue(text)}`;
}

/** RFC 4514 section 2.4 escaping; control characters are hex-escaped too, so a name prints safely. */
export function escapeValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if ('"+,;<>\\'.includes(ch)) out += `\\${ch}`;
    else if ((i === 0 && (ch === ' ' || ch === '#')) || (i === value.length - 1 && ch === ' ')) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

function stringValue(node: Der): string | null {
  if (node.cls !== 0 || node.constructed) return null;
  const bytes = Buffer.from(node.content);
  switch (node.tag) {
    case 12: // UTF8String
      return bytes.toString('utf8');
    case 18: // NumericString
    case 19: // PrintableString
    case 22: // IA5String
    case 26: // VisibleString
    case 20: // TeletexString (in practice Latin-1)
      return bytes.toString('latin1');
    case 30: // BMPString
      return bytes.length % 2 === 0 ? Buffer.from(bytes).swap16().toString('utf16le') : null;
    case 28: // UniversalString
      if (bytes.length % 4 !== 0) return null;
      return String.fromCodePoint(...Array.from({ length: bytes.length / 4 }, (_, k) => Math.min(bytes.readUInt32BE(k * 4), 0x10ffff)));
    default:
      return null;
  }
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/;

/** UTCTime or GeneralizedTime as an ISO 8601 UTC string. */
function time(node: Der | undefined): string {
  if (!node || node.constructed || (!isUniversal(node, 23) && !isUniversal(node, 24))) refuse('invalid-format', DAMAGED, 'certificate time');
  const text = Buffer.from(node.content).toString('latin1');
  const match = (node.tag === 23 ? UTC_TIME : GENERALIZED_TIME).exec(text);
  if (!match) return refuse('invalid-format', DAMAGED, 'certificate time');
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = match;
  let year = Number(y);
  if (y!.length === 2) year += year < 50 ? 2000 : 1900;
  let ms = Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(`0.${frac || '0'}`) * 1000);
  if (zone !== 'Z') ms -= (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3))) * 60_000;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) refuse('invalid-format', DAMAGED, 'certificate time');
  return date.toISOString();
}
