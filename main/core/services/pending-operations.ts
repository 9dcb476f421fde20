/**
 * Operations of the contract whose implementation is being built this round (issues 13 and 14). Each answers a
 * clear failure until its feature lands; a feature's engineer moves its operation out of this file. Nothing here
 * may ship: the file is deleted when it is empty.
 */
import { fail, type Operations } from '../../../preload/contract';

type Pending = 'certificates.link' | 'certificates.unlink' | 'certificates.sync' | 'files.pick';

/** The not-yet-built operations. */
export function pendingOperations(): Pick<Operations, Pending> {
  const notYet = (name: string) => async () => fail<never>('internal', `${name} is not available in this build.`);
  return {
    'certificates.link': notYet('certificates.link'),
    'certificates.unlink': notYet('certificates.unlink'),
    'certificates.sync': notYet('certificates.sync'),
    'files.pick': async () => fail('validation', 'Only the desktop app has a file dialog here: type the file\'s path instead.'),
  };
}
