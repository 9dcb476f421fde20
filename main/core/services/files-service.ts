import { fail, type Operations } from '../../../preload/contract';

/**
 * `files.pick` where there is no desktop: the core has no window to open a dialog in, so the console in a
 * browser (and any other client) types the path on the serving machine. The desktop shell replaces this
 * operation with its native dialog (main/shell/file-dialog.ts).
 */
export function filesOperations(): Pick<Operations, 'files.pick'> {
  return {
    'files.pick': async () => fail('validation', "Only the desktop app has a file dialog here: type the file's path on the machine that runs CertGate instead."),
  };
}
