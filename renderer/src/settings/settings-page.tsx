/** Settings: language and theme. */
import { Field, makeStyles, Radio, RadioGroup, tokens } from '@fluentui/react-components';
import type { Settings } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { ErrorBar } from '../shell/feedback';
import { Page } from '../shell/page';
import { useSettings } from './use-settings';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, maxWidth: '480px' } });

const languages: readonly Settings['language'][] = ['system', 'en', 'fr'];
const themes: readonly Settings['theme'][] = ['system', 'light', 'dark'];

/** The Settings page. */
export function SettingsPage() {
  const i18n = useI18n();
  const styles = useStyles();
  const { settings, error, save } = useSettings();
  return (
    <Page title={i18n.t('settings.title')}>
      {error && <ErrorBar error={error} />}
      <div className={styles.form}>
        <Field label={i18n.t('settings.language')}>
          <RadioGroup
            value={settings.language}
            onChange={(_, data) => void save({ language: data.value as Settings['language'] })}
          >
            {languages.map((language) => (
              <Radio
                key={language}
                value={language}
                label={i18n.t(`settings.language.${language}`)}
                lang={language === 'system' ? undefined : language}
              />
            ))}
          </RadioGroup>
        </Field>
        <Field label={i18n.t('settings.theme')}>
          <RadioGroup value={settings.theme} onChange={(_, data) => void save({ theme: data.value as Settings['theme'] })}>
            {themes.map((theme) => (
              <Radio key={theme} value={theme} label={i18n.t(`settings.theme.${theme}`)} />
            ))}
          </RadioGroup>
        </Field>
      </div>
    </Page>
  );
}
