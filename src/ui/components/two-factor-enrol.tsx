// Second step of 2FA setup: QR code and key for the authenticator app, then a code from the app to confirm.
import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/api-error.ts';
import { confirmTwoFactorSetup, startTwoFactorSetup } from '../api/two-factor.api.ts';
import type { TwoFactorSetup } from '../api/types.ts';
import { useSession } from '../session/session-context.ts';
import { compactCode, groupKey } from '../util/two-factor.ts';
import { CodeField } from './code-field.tsx';
import { ErrorMessage } from './error-message.tsx';
import { StepHeading, type HeadingLevel } from './step-heading.tsx';
import { TimeText } from './time-text.tsx';

type TwoFactorEnrolProps = {
  setup: TwoFactorSetup;
  headingLevel: HeadingLevel;
  /** A new setup (new secret) replaced an expired or lost one. */
  onRestarted: (setup: TwoFactorSetup) => void;
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel: () => void;
};

const SETUP_GONE = new Set(['no_setup_in_progress', 'setup_expired']);

export function TwoFactorEnrol({ setup, headingLevel, onRestarted, onConfirmed, onCancel }: TwoFactorEnrolProps) {
  const session = useSession();
  const codeInput = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [setupGone, setSetupGone] = useState(false);
  const [busy, setBusy] = useState(false);

  const confirm = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await confirmTwoFactorSetup(compactCode(code));
      // SECURITY: turning on 2FA gives the session a new id; the old CSRF token is no longer valid.
      session.updateCsrfToken(result.csrfToken);
      onConfirmed(result.recoveryCodes);
    } catch (err) {
      setError(describeError(err));
      setSetupGone(err instanceof ApiError && SETUP_GONE.has(err.code));
      setCode('');
      setBusy(false);
      codeInput.current?.focus();
    }
  };

  const restart = async () => {
    setBusy(true);
    setError(null);
    try {
      onRestarted(await startTwoFactorSetup());
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <div class="stack" data-testid="twofa-enrol">
      <StepHeading level={headingLevel}>Connect your authenticator app</StepHeading>
      <ol class="steps">
        <li>Install an authenticator app on your phone, such as Google Authenticator, Authy or Microsoft Authenticator.</li>
        <li>In the app, add an account and scan this QR code. If you cannot scan it, type the key below instead.</li>
        <li>Enter the 6-digit code the app shows to finish.</li>
      </ol>
      <img class="qr-code" src={setup.qrCode} alt="QR code for your authenticator app" width={200} height={200} data-testid="twofa-qr" />
      <div class="field">
        <p class="field-label">Key for manual entry</p>
        <code class="secret-key" data-testid="twofa-secret">
          {groupKey(setup.secret)}
        </code>
        <p class="field-hint">
          Time-based key (TOTP). Finish setting up before <TimeText iso={setup.expiresAt} />.
        </p>
      </div>
      <form class="form" onSubmit={confirm} aria-label="Confirm two-factor setup">
        <CodeField
          value={code}
          onValue={setCode}
          testId="twofa-confirm-code"
          inputRef={codeInput}
          hint="The 6-digit code from your authenticator app."
        />
        <ErrorMessage message={error} />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="twofa-confirm-submit">
            {busy ? 'Checking…' : 'Turn on 2FA'}
          </button>
          {setupGone ? (
            <button type="button" class="btn" onClick={restart} disabled={busy} data-testid="twofa-setup-restart">
              Start again
            </button>
          ) : null}
          <button type="button" class="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
