/**
 * The console settings (language, theme). One provider at the root loads them, because every component
 * depends on the language; `useSettings` reads and saves them.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { AppError, Result } from '../../../preload/contract/result';
import type { Settings } from '../../../preload/contract/model';
import { useClient } from '../client-context';
import { loads } from '../first-loads';
import { useResource } from '../use-resource';

/** Settings with their state and the way to change them. */
export interface SettingsState {
  /** The saved settings, or the defaults until they load (or if they cannot). */
  readonly settings: Settings;
  readonly loading: boolean;
  readonly error: AppError | null;
  save(patch: Partial<Settings>): Promise<Result<Settings>>;
}

const DEFAULTS: Settings = { language: 'system', theme: 'system' };

const SettingsContext = createContext<SettingsState | null>(null);

/** Load the settings and provide them to everything below. */
export function SettingsProvider(props: { readonly children: ReactNode }) {
  const client = useClient();
  const resource = useResource(loads.settings.load, { key: loads.settings.key, refreshOn: (e) => e.kind === 'settings' });
  const [pending, setPending] = useState<Settings | null>(null);
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const { refresh } = resource;

  const save = useCallback(
    async (patch: Partial<Settings>) => {
      // Apply at once so the language or theme switches without waiting for the round trip.
      setPending((previous) => ({ ...(previous ?? resource.data ?? DEFAULTS), ...patch }));
      const result = await client.call('settings.set', patch);
      setSaveError(result.ok ? null : result.error);
      await refresh();
      setPending(null);
      return result;
    },
    [client, refresh, resource.data],
  );

  const value = useMemo<SettingsState>(
    () => ({
      settings: pending ?? resource.data ?? DEFAULTS,
      loading: resource.loading,
      error: saveError ?? resource.error,
      save,
    }),
    [pending, resource.data, resource.loading, resource.error, saveError, save],
  );
  return <SettingsContext.Provider value={value}>{props.children}</SettingsContext.Provider>;
}

/** The settings of the nearest `SettingsProvider`. */
export function useSettings(): SettingsState {
  const value = useContext(SettingsContext);
  if (!value) throw new Error('useSettings needs a SettingsProvider above it.');
  return value;
}
