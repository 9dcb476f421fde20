/**
 * A warning before an API is saved with a certificate that has expired, or that expires before the first
 * expiry threshold (30 days): the save waits until the operator goes on deliberately ("Save anyway") or
 * picks another certificate. Focus moves to the warning, so the keyboard user hears it and can go on.
 */
import { Button, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CertificateWithUsage } from '../../../preload/contract/model';
import { useI18n } from '../../i18n';
import { expiryLabel } from './expiry-text';
import { expiryOf } from './expiry';
import { lastFour } from './thumbprint';

const useStyles = makeStyles({ box: { outlineStyle: 'none' } });

/** The guard of one form. */
export interface ExpiryGuard {
  /** True when `certificateId` may be saved now; otherwise the warning shows and `proceed` runs on "Save anyway". */
  allows(certificateId: string, proceed: () => void): boolean;
  /** Forget a pending warning (another certificate was chosen). */
  reset(): void;
  /** The warning, when one is pending. */
  readonly warning: ReactNode;
}

/** A guard over `certificates`, judged at `now`. */
export function useExpiryGuard(certificates: readonly CertificateWithUsage[], now: number): ExpiryGuard {
  const [pending, setPending] = useState<{ readonly certificate: CertificateWithUsage; readonly proceed: () => void } | null>(null);
  return {
    allows(certificateId, proceed) {
      const certificate = certificates.find((c) => c.id === certificateId);
      if (!certificate || expiryOf(certificate.notAfter, now).kind === 'ok') return true;
      setPending({ certificate, proceed });
      return false;
    },
    reset: () => setPending(null),
    warning: pending && (
      <ExpiryWarning
        certificate={pending.certificate}
        now={now}
        onProceed={() => {
          setPending(null);
          pending.proceed();
        }}
      />
    ),
  };
}

function ExpiryWarning(props: { readonly certificate: CertificateWithUsage; readonly now: number; readonly onProceed: () => void }) {
  const i18n = useI18n();
  const styles = useStyles();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [props.certificate]);
  const c = props.certificate;
  const expired = expiryOf(c.notAfter, props.now).kind === 'expired';
  const params = { name: c.commonName || c.subject, last4: lastFour(c.thumbprint), when: expiryLabel(i18n, c.notAfter, props.now) };
  return (
    <div ref={box} tabIndex={-1} className={styles.box} data-testid="expiry-warning">
      <MessageBar intent={expired ? 'error' : 'warning'} layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{i18n.t(expired ? 'expiryGuard.expiredTitle' : 'expiryGuard.soonTitle', params)}</MessageBarTitle>
          {i18n.t(expired ? 'expiryGuard.expiredBody' : 'expiryGuard.soonBody', params)}
        </MessageBarBody>
        <MessageBarActions>
          <Button size="small" onClick={props.onProceed}>
            {i18n.t('expiryGuard.saveAnyway')}
          </Button>
        </MessageBarActions>
      </MessageBar>
    </div>
  );
}
