/** Reading chosen files as base64, the way `certificates.upload` takes them. */

const PEM_EXTENSIONS = ['.pem', '.crt', '.cer', '.key'];

/** True for file names that hold PEM text (several can be sent together: certificate plus key). */
function isPemName(name: string): boolean {
  const lower = name.toLowerCase();
  return PEM_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** One PFX/P12 (or any single file), or any number of PEM files; not a PFX mixed with others. */
export function isValidSelection(files: readonly File[]): boolean {
  return files.length === 1 || (files.length > 1 && files.every((f) => isPemName(f.name)));
}

async function readBytes(file: Blob): Promise<Uint8Array> {
  if (typeof file.arrayBuffer === 'function') return new Uint8Array(await file.arrayBuffer());
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsArrayBuffer(file);
  });
}

/** Base64 of bytes, in chunks so large files do not overflow the call stack. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** The files' content as one base64 string; several PEM files are joined by new lines. */
export async function filesToBase64(files: readonly File[]): Promise<string> {
  const parts = await Promise.all(files.map(readBytes));
  if (parts.length === 1) return toBase64(parts[0] ?? new Uint8Array());
  const newline = new Uint8Array([10]);
  const pieces = parts.flatMap((p) => [p, newline]);
  const joined = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of pieces) {
    joined.set(p, offset);
    offset += p.length;
  }
  return toBase64(joined);
}

/** The text of a file (for PEM CA certificates). */
export async function fileToText(file: File): Promise<string> {
  return new TextDecoder().decode(await readBytes(file));
}
