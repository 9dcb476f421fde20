import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  calls: [] as unknown[][],
  answer: { canceled: false, filePaths: ['/home/op/certs/client.pfx'] } as { canceled: boolean; filePaths: string[] } | Error,
}));

vi.mock('electron', () => ({
  dialog: {
    showOpenDialog: async (...args: unknown[]) => {
      electron.calls.push(args);
      if (electron.answer instanceof Error) throw electron.answer;
      return electron.answer;
    },
  },
}));

const { fileDialogOperations } = await import('../../../main/shell/file-dialog');

describe('files.pick in the desktop shell', () => {
  const window = { isDestroyed: () => false };

  it('opens the native dialog on the app window and answers the chosen path only', async () => {
    const pick = fileDialogOperations(() => window as never)['files.pick'];
    expect(await pick({ purpose: 'link-certificate', title: 'Link a file' })).toEqual({ ok: true, value: { path: '/home/op/certs/client.pfx' } });
    const [parent, options] = electron.calls[0] as [unknown, { title: string; properties: string[]; filters: { extensions: string[] }[] }];
    expect(parent).toBe(window);
    expect(options.title).toBe('Link a file');
    expect(options.properties).toContain('openFile');
    expect(options.filters[0]?.extensions).toEqual(expect.arrayContaining(['pfx', 'p12', 'pem']));
  });

  it('a cancel is a null path; with no window the dialog opens alone; a dialog failure is a value', async () => {
    electron.calls = [];
    electron.answer = { canceled: true, filePaths: [] };
    expect(await fileDialogOperations(() => null)['files.pick']({ purpose: 'link-certificate' })).toEqual({ ok: true, value: { path: null } });
    expect(electron.calls[0]).toHaveLength(1);
    expect((electron.calls[0]![0] as { title: string }).title).toBe('Link a certificate file');
    electron.answer = new Error('no display');
    const failed = await fileDialogOperations(() => window as never)['files.pick']({ purpose: 'link-certificate' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('no display') } });
  });
});
