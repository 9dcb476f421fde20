import os from 'node:os';
import path from 'node:path';

/** The application's folder name: the same as the desktop app's userData folder (Electron uses productName). */
export const APP_FOLDER = 'CertGate';

/**
 * The data folder the desktop app uses on this system, so the CLI and the app share data by default:
 * `%APPDATA%\CertGate` on Windows, `~/Library/Application Support/CertGate` on macOS,
 * `$XDG_CONFIG_HOME/CertGate` (default `~/.config/CertGate`) elsewhere.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.CERTGATE_DATA_DIR) return path.resolve(env.CERTGATE_DATA_DIR);
  const home = os.homedir();
  switch (platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_FOLDER);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_FOLDER);
  }
}
