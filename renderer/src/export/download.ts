/**
 * Save a text file from the page: a Blob, an object URL and a click on a temporary `<a download>`. A download
 * is not a navigation or a fetch, so the console's CSP (default-src 'self') does not stand in its way.
 */

const TYPES: Readonly<Record<string, string>> = {
  xml: 'application/xml',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
};

/** The file name a path is saved under: folders joined with "_" (a download name cannot hold "/"). */
export function downloadName(path: string): string {
  return path.replace(/^\/+/, '').replace(/[/\\]+/g, '_');
}

/** Offer `content` for download as `path`. */
export function downloadText(path: string, content: string): void {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const blob = new Blob([content], { type: `${TYPES[extension] ?? 'text/plain'};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = downloadName(path);
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the URL once the click is handled; keep it a moment for slow starts.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Offer a binary file (base64, as `certificates.export` answers) for download under `fileName`. */
export function downloadBase64(fileName: string, base64: string, mediaType: string): void {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = downloadName(fileName);
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
