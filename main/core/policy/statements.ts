/**
 * The policy statements CertGate supports, each checked and turned into what it means:
 * `authentication-certificate`, `authentication-basic` and `set-header`.
 */
import { idSchema, ok, type Result } from '../../../preload/contract';
import { isFramingHeader } from '../gateway/headers';
import type { HeaderAction } from '../gateway/types';
import { assertNever, checkAttributes, checkEmpty, checkNamedValues, checkNoText, type Scope } from './element-checks';
import { NAMED_VALUE_RULE, soleNamedValue } from './named-values';
import { policyProblem, quoted } from './problem';
import type { Credential } from './types';
import type { XmlElement } from './xml-parser';

const EXISTS_ACTIONS = ['override', 'skip', 'append', 'delete'] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/;
const SHA1_HEX = /^[0-9A-F]{40}$/;

/** A thumbprint as CertGate stores it: upper-case hex, without spaces, colons, dashes or invisible marks. */
export function normalizeThumbprint(value: string): string {
  return value.replace(/[\s:\-\u200E\u200F\uFEFF]/g, '').toUpperCase();
}

/** Whether a normalised thumbprint is a SHA-1 thumbprint (40 upper-case hex digits). */
export function isThumbprint(value: string): boolean {
  return SHA1_HEX.test(value);
}

/** What is wrong with a Basic authentication user name ("may not be empty"…), or null. */
export function usernameProblem(user: string): string | null {
  if (user === '') return 'may not be empty';
  if (user.length > 256) return 'has at most 256 characters';
  if (user.includes(':')) return 'may not contain ":" (HTTP Basic authentication cannot carry it)';
  if (CONTROL.test(user)) return 'may not contain line breaks or control characters';
  return null;
}

/** `<authentication-certificate certificate-id="…"/>` or `thumbprint="…"`: exactly one of them. */
export function checkCertificate(scope: Scope, element: XmlElement): Result<Credential> {
  const attrs = checkAttributes(scope, element, ['certificate-id', 'thumbprint']);
  if (!attrs.ok) return attrs;
  const empty = checkEmpty(scope, element);
  if (!empty.ok) return empty;
  const name = element.name;
  const id = attrs.value.get('certificate-id');
  const thumbprint = attrs.value.get('thumbprint');
  if (id && thumbprint) {
    return policyProblem(scope.source, element.start, name, `<${name}> needs either certificate-id or thumbprint, not both.`);
  }
  if (id) {
    const valid = idSchema.safeParse(id.value);
    if (!valid.success) {
      const why = valid.error.issues[0]?.message ?? 'it is not a valid id.';
      return policyProblem(scope.source, id.start, name, `<${name}> certificate-id ${quoted(id.value)} is not a valid certificate id: ${why}`);
    }
    if (scope.context && !scope.context.hasCertificateId(id.value)) {
      return policyProblem(
        scope.source,
        id.start,
        name,
        `<${name}> refers to the certificate ${quoted(id.value)}, which does not exist: upload it or pick another certificate.`,
      );
    }
    return ok({ type: 'certificate', by: 'certificate-id', value: id.value });
  }
  if (thumbprint) {
    const value = normalizeThumbprint(thumbprint.value);
    if (!isThumbprint(value)) {
      return policyProblem(
        scope.source,
        thumbprint.start,
        name,
        `<${name}> thumbprint must be the certificate's SHA-1 thumbprint: 40 hexadecimal characters.`,
      );
    }
    if (scope.context && !scope.context.hasCertificateThumbprint(value)) {
      return policyProblem(
        scope.source,
        thumbprint.start,
        name,
        `<${name}> refers to the thumbprint ${value}, and no uploaded certificate has it: upload it or pick another certificate.`,
      );
    }
    return ok({ type: 'certificate', by: 'thumbprint', value });
  }
  return policyProblem(scope.source, element.start, name, `<${name}> needs either certificate-id or thumbprint.`);
}

/** `<authentication-basic username="…" password="{{named-value}}"/>`: never a literal password. */
export function checkBasic(scope: Scope, element: XmlElement): Result<Credential> {
  const attrs = checkAttributes(scope, element, ['username', 'password']);
  if (!attrs.ok) return attrs;
  const empty = checkEmpty(scope, element);
  if (!empty.ok) return empty;
  const name = element.name;
  const username = attrs.value.get('username');
  const password = attrs.value.get('password');
  if (!username) return policyProblem(scope.source, element.start, name, `<${name}> needs a username attribute.`);
  if (!password) {
    return policyProblem(scope.source, element.start, name, `<${name}> needs a password attribute that names a named value: password="{{name}}".`);
  }
  const user = username.value;
  const badUser = usernameProblem(user);
  if (badUser !== null) return policyProblem(scope.source, username.start, name, `<${name}> username ${badUser}.`);
  const userRefs = checkNamedValues(scope, user, username.start, name, 'username');
  if (!userRefs.ok) return userRefs;
  // Never echo the password attribute's value: it may be a real password written by mistake.
  const reference = soleNamedValue(password.value);
  if (reference === null) {
    return policyProblem(
      scope.source,
      password.start,
      name,
      `<${name}> password must be a named value reference such as password="{{backend-password}}", never the password itself: store the password as a named value and refer to it.`,
    );
  }
  if (!reference.valid) {
    return policyProblem(scope.source, password.start, name, `<${name}> password names a named value that is not valid: ${NAMED_VALUE_RULE}.`);
  }
  const passwordRefs = checkNamedValues(scope, password.value, password.start, name, 'password');
  if (!passwordRefs.ok) return passwordRefs;
  return ok({ type: 'basic', username: user, passwordNamedValue: reference.name });
}

function checkValue(scope: Scope, element: XmlElement): Result<string> {
  const attrs = checkAttributes(scope, element, []);
  if (!attrs.ok) return attrs;
  let text = '';
  for (const child of element.children) {
    switch (child.kind) {
      case 'comment':
        break;
      case 'text':
        text += child.text;
        break;
      case 'element':
        return policyProblem(scope.source, child.start, child.name, `<value> may not contain <${child.name}>: only text.`);
      default:
        return assertNever(child);
    }
  }
  if (text === '') return policyProblem(scope.source, element.start, 'value', '<value> needs text: the header value to set.');
  if (CONTROL.test(text)) {
    return policyProblem(scope.source, element.start, 'value', '<value> may not contain line breaks or control characters: a header value is one line.');
  }
  const refs = checkNamedValues(scope, text, element.start, 'value', 'text');
  if (!refs.ok) return refs;
  return ok(text);
}

function isExistsAction(value: string): value is HeaderAction['existsAction'] {
  return (EXISTS_ACTIONS as readonly string[]).includes(value);
}

/** `<set-header name="…" exists-action="…"><value>…</value></set-header>`. */
export function checkSetHeader(scope: Scope, element: XmlElement): Result<HeaderAction> {
  const attrs = checkAttributes(scope, element, ['name', 'exists-action']);
  if (!attrs.ok) return attrs;
  const tag = element.name;
  const header = attrs.value.get('name');
  if (!header) return policyProblem(scope.source, element.start, tag, `<${tag}> needs a name attribute: the header to set.`);
  if (!HEADER_NAME.test(header.value)) {
    return policyProblem(scope.source, header.start, tag, `<${tag}> name ${quoted(header.value)} is not a valid HTTP header name.`);
  }
  if (isFramingHeader(header.value)) {
    return policyProblem(
      scope.source,
      header.start,
      tag,
      `<${tag}> may not set ${quoted(header.value)}: it frames the message or the connection, and the gateway sets it itself.`,
    );
  }
  const action = attrs.value.get('exists-action');
  const existsAction = action?.value ?? 'override';
  if (!isExistsAction(existsAction)) {
    return policyProblem(
      scope.source,
      action?.start ?? element.start,
      tag,
      `<${tag}> exists-action must be override, skip, append or delete, not ${quoted(existsAction)}.`,
    );
  }
  const values: string[] = [];
  for (const child of element.children) {
    switch (child.kind) {
      case 'comment':
        break;
      case 'text': {
        const text = checkNoText(scope, element, child);
        if (!text.ok) return text;
        break;
      }
      case 'element': {
        if (child.name !== 'value') {
          return policyProblem(scope.source, child.start, child.name, `<${tag}> may contain only <value> elements, not <${child.name}>.`);
        }
        const value = checkValue(scope, child);
        if (!value.ok) return value;
        values.push(value.value);
        break;
      }
      default:
        return assertNever(child);
    }
  }
  if (values.length === 0 && existsAction !== 'delete') {
    return policyProblem(scope.source, element.start, tag, `<${tag}> needs at least one <value> (only exists-action="delete" takes none).`);
  }
  return ok({ name: header.value, existsAction, values });
}
