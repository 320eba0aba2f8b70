// My account card for two-factor authentication: its status, setup while off, new recovery codes or turning off while on.
import { useRef, useState } from 'preact/hooks';
import { getTwoFactorStatus } from '../../api/two-factor.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { TwoFactorSetup } from '../../components/two-factor-setup.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useSession } from '../../session/session-context.ts';
import { TwoFactorFacts } from './two-factor-facts.tsx';
import { TwoFactorManage } from './two-factor-manage.tsx';

type TwoFactorCardProps = {
  /** Turning 2FA on ended the user's other sessions. */
  onSessionsChanged: () => void;
};

export function TwoFactorCard({ onSessionsChanged }: TwoFactorCardProps) {
  const session = useSession();
  const status = useLoad(getTwoFactorStatus);
  const [notice, setNotice] = useState<string | null>(null);
  // Set while the new recovery codes are on screen: 2FA is on already, the status is reloaded once they are saved.
  const [enabledNow, setEnabledNow] = useState<{ at: string; codes: number } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // After a finished action: reload the status, and the signed-in user when twoFactorEnabled changed.
  const changed = (message: string, userChanged: boolean) => {
    setEnabledNow(null);
    setNotice(message);
    // The finished step leaves the screen; keyboard and screen-reader users continue from the card's heading.
    heading.current?.focus();
    status.reload();
    if (userChanged) void session.refresh();
  };

  const disabled = ({ twoFactorSetupRequired }: { twoFactorSetupRequired: boolean }) => {
    // Still required by the policy: the refreshed session leads straight to the setup screen.
    if (twoFactorSetupRequired) void session.refresh();
    else changed('Two-factor authentication is now off.', true);
  };

  const data = status.data;
  return (
    <section class="card card-full stack" aria-labelledby="twofa-title" data-testid="twofa-card">
      <h2 id="twofa-title" ref={heading} tabIndex={-1}>
        Two-factor authentication
      </h2>
      <p class="muted">
        A code from an authenticator app on your phone, asked for after your password, keeps your account safe even if the password leaks.
      </p>
      <ErrorMessage message={status.error} />
      {status.loading ? <Loading /> : null}
      {data && !status.loading ? (
        <>
          <TwoFactorFacts status={enabledNow ? { ...data, enabled: true, enabledAt: enabledNow.at, recoveryCodesLeft: enabledNow.codes } : data} />
          <Notice message={notice} />
          {data.enabled ? (
            <TwoFactorManage
              status={data}
              onCodesReplaced={() => changed('Your new recovery codes are active; the old ones no longer work.', false)}
              onDisabled={disabled}
            />
          ) : (
            <>
              {data.requiredByPolicy ? (
                <p class="alert alert-info">The panel's policy requires two-factor authentication for your account.</p>
              ) : null}
              <TwoFactorSetup
                onEnabled={(codes) => {
                  setNotice(null);
                  setEnabledNow({ at: new Date().toISOString(), codes });
                  onSessionsChanged();
                }}
                onDone={() => changed('Two-factor authentication is now on. Your other sessions were signed out.', true)}
              />
            </>
          )}
        </>
      ) : null}
    </section>
  );
}
