/** The export preview for a format (`export.preview`): what would be written, without any private key. */
import type { ExportResult } from '../../../preload/contract/model';
import { useResource, type Resource } from '../use-resource';

/** The formats, in the order the page offers them. */
export const exportFormats = ['kong', 'nginx', 'apim'] as const satisfies readonly ExportResult['format'][];

/** One export format. */
export type ExportFormat = (typeof exportFormats)[number];

/** Load the preview for `format`; reload when anything exported changes. */
export function useExportPreview(format: ExportFormat): Resource<ExportResult> {
  return useResource((c) => c.call('export.preview', { format }), {
    key: `export:${format}`,
    refreshOn: (e) => e.kind !== 'settings',
  });
}
