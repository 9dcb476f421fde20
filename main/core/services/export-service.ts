import path from 'node:path';
import { fail, ok, type ExportFile, type ExportResult, type Operations, type Result } from '../../../preload/contract';
import { apimExport } from '../export/apim';
import { kongExport } from '../export/kong';
import { loadExportModel } from './export-model';
import { NGINX_PREVIEW_DIR, nginxExport } from '../export/nginx';
import type { ExportModel, RenderedExport } from '../export/types';
import { writeExportFiles } from '../export/write';
import type { ServiceContext } from './context';
import type { GatewayConfigBuilder } from './gateway-config';

type Format = ExportResult['format'];

function render(format: Format, model: ExportModel, baseDir: string): RenderedExport {
  switch (format) {
    case 'kong':
      return kongExport(model);
    case 'nginx':
      return nginxExport(model, { baseDir });
    case 'apim':
      return apimExport(model);
  }
}

/**
 * The last guard before anything leaves CertGate: without keys, no file may carry key material or a
 * password. Failing here is a bug in a renderer, reported as such, and nothing is shown or written.
 */
function leakCheck(rendered: RenderedExport, withKeys: boolean): Result<null> {
  if (withKeys) return ok(null);
  const leaked = rendered.files.find(
    (f) => (f.secret && f.content !== null) || (typeof f.content === 'string' && /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(f.content)),
  );
  return leaked ? fail('internal', `CertGate almost exported key material in ${leaked.path} without keys; nothing was exported. Please report it.`) : ok(null);
}

function result(format: Format, outDir: string | null, rendered: RenderedExport, warnings: readonly string[]): ExportResult {
  const files: ExportFile[] = rendered.files.map((f) => ({
    path: f.path,
    // Secret files never travel back to a client, even with keys.
    content: f.secret || typeof f.content !== 'string' ? null : f.content,
    containsPrivateKey: f.secret,
  }));
  return { format, outDir, files, warnings: [...new Set([...warnings, ...rendered.warnings])] };
}

/**
 * Export to production gateways: Kong, nginx, Azure API Management. A preview shows the files without
 * any key (files that would hold one are listed with `content: null`); a write puts them in a folder,
 * keys included only with `withKeys` (mode 0600), and never overwrites a file.
 */
export function exportOperations(ctx: ServiceContext, routes: GatewayConfigBuilder): Pick<Operations, 'export.preview' | 'export.write'> {
  return {
    async 'export.preview'({ format }) {
      const loaded = await loadExportModel(ctx, routes, false);
      if (!loaded.ok) return loaded;
      const rendered = render(format, loaded.value.model, NGINX_PREVIEW_DIR);
      const guard = leakCheck(rendered, false);
      if (!guard.ok) return guard;
      return ok(result(format, null, rendered, loaded.value.warnings));
    },

    async 'export.write'({ format, outDir, withKeys }) {
      if (!path.isAbsolute(outDir)) return fail('validation', `The output folder must be an absolute path, not "${outDir}".`, { field: 'outDir' });
      const dir = path.resolve(outDir);
      if (format === 'nginx' && dir.includes('$')) {
        return fail('validation', `nginx would read the "$" in ${dir} as a variable: choose a folder without "$".`, { field: 'outDir' });
      }
      const loaded = await loadExportModel(ctx, routes, withKeys);
      if (!loaded.ok) return loaded;
      const rendered = render(format, loaded.value.model, dir);
      const guard = leakCheck(rendered, withKeys);
      if (!guard.ok) return guard;
      const written = await writeExportFiles(dir, rendered.files);
      if (!written.ok) return written;
      return ok(result(format, dir, rendered, loaded.value.warnings));
    },
  };
}
