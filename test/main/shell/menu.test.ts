import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { installMenu, menuTemplate } = await import('../../../main/shell/menu');

function roles(items: MenuItemConstructorOptions[] | undefined): string[] {
  return (items ?? []).flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...roles(Array.isArray(item.submenu) ? item.submenu : undefined),
  ]);
}

function submenu(template: MenuItemConstructorOptions[], role: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.role === role)?.submenu;
  return Array.isArray(menu) ? menu : [];
}

describe('application menu', () => {
  it.each(['win32', 'linux', 'darwin'] as const)('has Edit with the clipboard roles on %s', (platform) => {
    const edit = roles(submenu(menuTemplate(false, platform), 'editMenu'));
    expect(edit).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
  });

  it('offers reload and DevTools only in development', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      const production = roles(menuTemplate(false, platform));
      expect(production).not.toContain('reload');
      expect(production).not.toContain('forceReload');
      expect(production).not.toContain('toggleDevTools');
      const development = roles(submenu(menuTemplate(true, platform), 'viewMenu'));
      expect(development).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    }
  });

  it('has the app menu on macOS only', () => {
    expect(menuTemplate(false, 'darwin')[0]?.role).toBe('appMenu');
    expect(menuTemplate(false, 'win32').some((item) => item.role === 'appMenu')).toBe(false);
  });

  it('is installed as the application menu', () => {
    installMenu(false);
    expect(fake.applicationMenu).toMatchObject({ template: menuTemplate(false, process.platform) });
  });
});
