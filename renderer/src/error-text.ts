/** Errors in words: the translated text for the error's code, never a stack trace. */
import type { AppError } from '../../preload/contract/result';
import { isNetworkError } from '../client/result';
import type { I18n, MessageKey } from '../i18n';

/** The sentence to show for an error. `validation` adds the server's own message, which names the field. */
export function errorText(i18n: I18n, error: AppError): string {
  if (isNetworkError(error)) return i18n.t('error.network');
  const text = i18n.t(`error.${error.code}` as MessageKey);
  if (error.code === 'validation' && error.message && !looksLikeStack(error.message)) return `${text} ${error.message}`;
  return text;
}

function looksLikeStack(message: string): boolean {
  return /\n\s+at\s/.test(message);
}
