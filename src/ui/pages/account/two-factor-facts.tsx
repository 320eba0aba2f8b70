// Facts about the signed-in user's 2FA: on or off, since when, recovery codes left and last used, policy.
import type { TwoFactorStatus } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { policyLabels } from '../../util/two-factor.ts';

export function TwoFactorFacts({ status }: { status: TwoFactorStatus }) {
  const lastUse = status.lastRecoveryCodeUse;
  return (
    <dl class="facts" data-testid="twofa-facts">
      <dt>Status</dt>
      <dd>
        <span class={status.enabled ? 'badge badge-success' : 'badge badge-neutral'} data-testid="twofa-status">
          {status.enabled ? 'On' : 'Off'}
        </span>
      </dd>
      {status.enabled ? (
        <>
          <dt>Turned on</dt>
          <dd>
            <TimeText iso={status.enabledAt} />
          </dd>
          <dt>Recovery codes left</dt>
          <dd data-testid="twofa-codes-left">
            {status.recoveryCodesLeft}
            {status.recoveryCodesLeft <= 2 ? <span class="badge badge-warning badge-inline">Generate new ones soon</span> : null}
          </dd>
          {lastUse ? (
            <>
              <dt>Recovery code last used</dt>
              <dd data-testid="twofa-last-recovery-use">
                <TimeText iso={lastUse.at} />
                {lastUse.ip ? <span class="muted mono"> from {lastUse.ip}</span> : null}
              </dd>
            </>
          ) : null}
        </>
      ) : null}
      <dt>Required by policy</dt>
      <dd data-testid="twofa-required">
        {status.requiredByPolicy ? `Yes (policy: ${policyLabels[status.policy].toLowerCase()})` : 'No'}
      </dd>
    </dl>
  );
}
