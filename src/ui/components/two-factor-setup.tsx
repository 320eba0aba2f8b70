// Turns on two-factor authentication: start, connect the authenticator app, confirm a code, save the recovery codes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';
import { startTwoFactorSetup } from '../api/two-factor.api.ts';
import type { TwoFactorSetup as SetupData } from '../api/types.ts';
import { useSession } from '../session/session-context.ts';
import { ErrorMessage } from './error-message.tsx';
import { RecoveryCodes } from './recovery-codes.tsx';
import type { HeadingLevel } from './step-heading.tsx';
import { TwoFactorEnrol } from './two-factor-enrol.tsx';

type TwoFactorSetupProps = {
  /** 2FA is now on (the user's other sessions were ended); the recovery codes (this many) are still on screen. */
  onEnabled?: (recoveryCodes: number) => void;
  /** The user has acknowledged the recovery codes. */
  onDone: () => void;
  headingLevel?: HeadingLevel;
};

type Step = { kind: 'start' } | { kind: 'enrol'; setup: SetupData } | { kind: 'codes'; codes: string[] };

export function TwoFactorSetup({ onEnabled, onDone, headingLevel = 3 }: TwoFactorSetupProps) {
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: 'start' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const startButton = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);

  useEffect(() => {
    // Back from a cancelled setup: put focus on the button that starts it again.
    if (step.kind === 'start' && cancelled.current) startButton.current?.focus();
    cancelled.current = false;
  }, [step]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setStep({ kind: 'enrol', setup: await startTwoFactorSetup() });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  if (step.kind === 'codes') {
    return <RecoveryCodes codes={step.codes} username={session.user?.username ?? ''} onDone={onDone} headingLevel={headingLevel} />;
  }
  if (step.kind === 'enrol') {
    return (
      <TwoFactorEnrol
        key={step.setup.secret}
        setup={step.setup}
        headingLevel={headingLevel}
        onRestarted={(setup) => setStep({ kind: 'enrol', setup })}
        onConfirmed={(codes) => {
          setStep({ kind: 'codes', codes });
          onEnabled?.(codes.length);
        }}
        onCancel={() => {
          cancelled.current = true;
          setStep({ kind: 'start' });
        }}
      />
    );
  }
  return (
    <div class="stack">
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button ref={startButton} type="button" class="btn btn-primary" onClick={start} disabled={busy} data-testid="twofa-setup-start">
          {busy ? 'Starting…' : 'Set up 2FA'}
        </button>
      </div>
    </div>
  );
}
