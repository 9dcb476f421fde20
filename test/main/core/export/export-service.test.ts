import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openCore } from '../../../../main/core/app/core';
import { foldHeaderActions } from '../../../../main/core/export/headers';
import { fileStem, identifier, kongName, uuidV5 } from '../../../../main/core/export/names';
import { toYaml } from '../../../../main/core/export/yaml';
import { testCore } from '../../../helpers/core';
import { makeClientPfx } from '../../../helpers/openssl';
import { MemorySecretStore } from '../../../../main/core/vault/secret-store';
import { tempDir } from '../../../helpers/temp-dir';
import { exportFixture, must, type ExportFixture } from './fixture';
import { parse as parseYaml } from 'yaml';
import { dispatch } from '../../../../main/core/dispatch/dispatch';

const FORMATS = ['kong', 'nginx', 'apim'] as const;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('export.write', () => {
  let f: ExportFixture;
  let work: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    f = await exportFixture();
    work = await tempDir();
  });
  afterAll(async () => {
    await f?.remove();
    await work?.remove();
  });

  it.each(FORMATS)('%s without keys: no private key or password leaves CertGate, and no key file is written', async (format) => {
    const out = path.join(work.path, `no-keys-${format}`);
    const result = await must(f.core, 'export.write', { format, outDir: out, withKeys: false });
    const written = await filesUnder(out);
    expect(written.length).toBeGreaterThan(0);
    for (const file of written) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toContain('PRIVATE KEY');
      expect(text, file).not.toContain('s3cret');
    }
    const relative = written.map((p) => path.relative(out, p).split(path.sep).join('/'));
    for (const file of result.files.filter((x) => x.containsPrivateKey)) expect(relative).not.toContain(file.path);
    expect(relative.some((p) => /\.(key|pfx)$|password/.test(p))).toBe(false);
  });

  it('refuses to overwrite: one existing target file, and nothing is written', async () => {
    const out = path.join(work.path, 'taken');
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'certgate.conf'), '# mine\n');
    const r = await dispatch(f.core.operations, 'export.write', { format: 'nginx', outDir: out, withKeys: true });
    expect(!r.ok && r.error.code).toBe('validation');
    expect(!r.ok && r.error.message).toContain('certgate.conf');
    expect(!r.ok && r.error.message).toContain('never overwrites');
    expect(await readdir(out)).toEqual(['certgate.conf']);
    expect(await readFile(path.join(out, 'certgate.conf'), 'utf8')).toBe('# mine\n');
    // Other files in the folder are fine.
    const other = path.join(work.path, 'shared');
    await mkdir(other);
    await writeFile(path.join(other, 'README'), 'x');
    expect((await dispatch(f.core.operations, 'export.write', { format: 'kong', outDir: other, withKeys: false })).ok).toBe(true);
  });

  it('refuses a relative folder, a file as folder, and "$" in an nginx folder', async () => {
    const relative = await dispatch(f.core.operations, 'export.write', { format: 'kong', outDir: 'out', withKeys: false });
    expect(!relative.ok && relative.error).toMatchObject({ code: 'validation', message: expect.stringContaining('absolute path') });
    const file = path.join(work.path, 'a-file');
    await writeFile(file, 'x');
    const onFile = await dispatch(f.core.operations, 'export.write', { format: 'kong', outDir: file, withKeys: false });
    expect(!onFile.ok && onFile.error.message).toContain('is a file, not a folder');
    const dollar = await dispatch(f.core.operations, 'export.write', { format: 'nginx', outDir: path.join(work.path, 'a$b'), withKeys: false });
    expect(!dollar.ok && dollar.error.message).toContain('"$"');
    const badFormat = await dispatch(f.core.operations, 'export.preview', { format: 'traefik' } as never);
    expect(!badFormat.ok && badFormat.error.code).toBe('validation');
  });

  it('without the keychain: the preview lists the certificate chains to supply; a write with keys is refused', async () => {
    const t = await testCore();
    try {
      const made = makeClientPfx(t.dir, 'client1', 'pw');
      await must(t.core, 'certificates.upload', { data: made.pfx.toString('base64'), password: 'pw' });
      await must(t.core, 'apis.create', { id: 'orders', displayName: 'Orders', path: 'orders', serviceUrl: 'https://orders.internal' });
      await must(t.core, 'security.set', { apiId: 'orders', security: { type: 'certificate', certificateId: 'client1' } });
      await t.core.flush();
      // The same data folder, but a keychain without CertGate's key.
      const other = await openCore({ dataDir: t.dir, secretStore: new MemorySecretStore() });
      if (!other.ok) throw new Error(other.error.message);
      const preview = await must(other.value, 'export.preview', { format: 'nginx' });
      expect(preview.files.find((x) => x.path === 'certs/client1.crt')).toEqual({ path: 'certs/client1.crt', content: null, containsPrivateKey: false });
      expect(preview.warnings.join('\n')).toContain('could not be read from the vault');
      const kong = await must(other.value, 'export.preview', { format: 'kong' });
      expect(kong.files[0]?.content).toContain('cert: "{vault://env/certgate-client1-cert}"');
      const withKeys = await dispatch(other.value.operations, 'export.write', { format: 'nginx', outDir: path.join(t.dir, 'out'), withKeys: true });
      expect(!withKeys.ok && withKeys.error.code).toBe('keychain-unavailable');
      await expect(readdir(path.join(t.dir, 'out'))).rejects.toThrow();
    } finally {
      await t.remove();
    }
  });

  it('an empty store exports an empty configuration, with a warning', async () => {
    const t = await testCore();
    try {
      for (const format of FORMATS) {
        const r = await must(t.core, 'export.preview', { format });
        expect(r.warnings.join('\n')).toContain('no APIs');
      }
      const kong = await must(t.core, 'export.preview', { format: 'kong' });
      expect(parseYaml(kong.files[0]?.content ?? '')).toEqual({ _format_version: '3.0', certificates: [], ca_certificates: [], services: [], routes: [] });
    } finally {
      await t.remove();
    }
  });
});

describe('export helpers', () => {
  it('uuidV5 is RFC 4122 version 5 (the standard DNS example)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('names are safe and distinct for ids that differ only in case or punctuation', () => {
    expect(fileStem('orders')).toBe('orders');
    expect(fileStem('Orders')).toMatch(/^orders-[0-9a-f]{8}$/);
    expect(fileStem('../etc')).toMatch(/^etc-[0-9a-f]{8}$/);
    expect(new Set(['a b', 'a-b', 'A-B', 'a.b'].map(fileStem)).size).toBe(4);
    expect(new Set(['order-s', 'order_s'].map(identifier)).size).toBe(2);
    expect(identifier('Billing API')).toMatch(/^billing_api_[0-9a-f]{8}$/);
    expect(kongName('x~y')).toBe('x~y');
  });

  it('set-header statements fold into fixed or merged outcomes', () => {
    const fold = (actions: Parameters<typeof foldHeaderActions>[0]) => foldHeaderActions(actions);
    expect(fold([{ name: 'X', existsAction: 'override', values: ['a'] }, { name: 'x', existsAction: 'append', values: ['b'] }])).toEqual([
      { kind: 'fixed', name: 'X', lower: 'x', values: ['a', 'b'] },
    ]);
    expect(fold([{ name: 'X', existsAction: 'delete', values: [] }, { name: 'X', existsAction: 'skip', values: ['d'] }])).toEqual([
      { kind: 'fixed', name: 'X', lower: 'x', values: ['d'] },
    ]);
    expect(fold([{ name: 'X', existsAction: 'skip', values: ['d'] }, { name: 'X', existsAction: 'append', values: ['e'] }, { name: 'X', existsAction: 'skip', values: ['z'] }])).toEqual([
      { kind: 'merge', name: 'X', lower: 'x', ifAbsent: ['d'], appended: ['e'] },
    ]);
    expect(fold([{ name: 'X', existsAction: 'override', values: ['a'] }, { name: 'X', existsAction: 'skip', values: ['b'] }])).toEqual([
      { kind: 'fixed', name: 'X', lower: 'x', values: ['a'] },
    ]);
    expect(foldHeaderActions([{ name: 'authorization', existsAction: 'skip', values: ['no'] }], new Map([['Authorization', ['Basic x']]]))).toEqual([
      { kind: 'fixed', name: 'Authorization', lower: 'authorization', values: ['Basic x'] },
    ]);
  });

  it('the YAML emitter quotes every string, so nothing is read as another type or breaks a line', () => {
    const value = {
      plain: 'yes',
      number: '3.0',
      'odd key: x': ['null', 'line\nbreak', 'sep\u2028arator', 'del\u007f', '"quoted" \\ back', '# not a comment', '- not a list'],
      nested: [{ a: [] , b: {} }, [['deep']], true, 4, null],
    };
    const yaml = toYaml(value, ['header']);
    expect(yaml).toContain('plain: "yes"');
    expect(yaml).not.toMatch(/[\u2028\u007f]/);
    expect(parseYaml(yaml)).toEqual(value);
  });
});
