/** The root component: client, settings, theme (following the system) and language, then the shell. */
import { FluentProvider, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useEffect } from 'react';
import type { CertGateClient } from '../../preload/contract/operations';
import { I18nProvider, resolveLocale } from '../i18n';
import { ClientProvider } from './client-context';
import { forgetPrimed } from './first-loads';
import { SettingsProvider, useSettings } from './settings/use-settings';
import { AppShell } from './shell/app-shell';
import { Notifications } from './shell/notify';
import { useColorScheme } from './shell/use-color-scheme';

function ThemedApp() {
  const { settings } = useSettings();
  const scheme = useColorScheme(settings.theme);
  const locale = resolveLocale(settings.language, navigator.language);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.style.colorScheme = scheme;
  }, [locale, scheme]);
  return (
    <FluentProvider theme={scheme === 'dark' ? webDarkTheme : webLightTheme} data-theme={scheme}>
      <I18nProvider locale={locale}>
        <Notifications />
        <AppShell />
      </I18nProvider>
    </FluentProvider>
  );
}

/** The console, talking to CertGate through `client`. */
export function App(props: { readonly client: CertGateClient }) {
  // After the first render's hooks (whose effects run before this one) took the primed answers.
  useEffect(() => forgetPrimed(), []);
  return (
    <ClientProvider client={props.client}>
      <SettingsProvider>
        <ThemedApp />
      </SettingsProvider>
    </ClientProvider>
  );
}
