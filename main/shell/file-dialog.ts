/**
 * `files.pick` in the desktop app: the native open-file dialog, attached to the app window. The core answers
 * this operation with "type the path" (it has no window); the shell replaces it with this one. Only the
 * chosen path crosses to the renderer, never the file's content: linking reads the file in the core.
 */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import { fail, ok, type Operations } from '../../preload/contract';

const CERTIFICATE_FILTERS: OpenDialogOptions['filters'] = [
  { name: 'Certificate files (PFX, P12, PEM)', extensions: ['pfx', 'p12', 'pem', 'crt', 'cer', 'key'] },
  { name: 'All files', extensions: ['*'] },
];

/** The desktop `files.pick`: null when the operator cancels. */
export function fileDialogOperations(getWindow: () => BrowserWindow | null): Pick<Operations, 'files.pick'> {
  return {
    async 'files.pick'({ title }) {
      const options: OpenDialogOptions = {
        title: title ?? 'Link a certificate file',
        properties: ['openFile', 'dontAddToRecent'],
        filters: CERTIFICATE_FILTERS,
      };
      const window = getWindow();
      try {
        const picked = window && !window.isDestroyed() ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return ok({ path: picked.canceled ? null : (picked.filePaths[0] ?? null) });
      } catch (err) {
        return fail('validation', `The file dialog could not open (${err instanceof Error ? err.message : String(err)}): type the file's path instead.`);
      }
    },
  };
}
