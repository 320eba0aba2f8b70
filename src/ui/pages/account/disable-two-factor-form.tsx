// Form to turn off 2FA, confirmed with the password and an authenticator or recovery code.
import { disableTwoFactor } from '../../api/two-factor.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';
import { secondFactorProof } from '../../util/two-factor.ts';
import { useProofForm } from './use-proof-form.ts';

type DisableTwoFactorFormProps = {
  /** The policy requires 2FA for this user, so turning it off leads straight back to setup. */
  requiredByPolicy: boolean;
  onDisabled: (result: { twoFactorSetupRequired: boolean }) => void;
  onCancel: () => void;
};

export function DisableTwoFactorForm({ requiredByPolicy, onDisabled, onCancel }: DisableTwoFactorFormProps) {
  const { password, setPassword, code, setCode, error, busy, passwordInput, codeInput, submit } = useProofForm(async (typed, proof) =>
    onDisabled(await disableTwoFactor(typed, secondFactorProof(proof))),
  );

  return (
    <form class="form subcard" onSubmit={submit} aria-labelledby="twofa-disable-title" data-testid="twofa-disable-form">
      <h3 id="twofa-disable-title">Turn off two-factor authentication</h3>
      {requiredByPolicy ? (
        <p class="alert alert-warning">The panel's policy requires 2FA for your account: you will have to set it up again right away.</p>
      ) : (
        <p class="muted">Without 2FA, your password alone signs you in. Your recovery codes are deleted.</p>
      )}
      <TextField
        label="Password"
        type="password"
        value={password}
        onValue={setPassword}
        testId="twofa-disable-password"
        autoComplete="current-password"
        inputRef={passwordInput}
        required
      />
      <TextField
        label="Authentication code or recovery code"
        value={code}
        onValue={setCode}
        testId="twofa-disable-code"
        hint="The 6-digit code from your authenticator app, or one of your recovery codes."
        autoComplete="one-time-code"
        inputRef={codeInput}
        maxLength={32}
        required
      />
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-danger" disabled={busy} data-testid="twofa-disable-submit">
          {busy ? 'Turning off…' : 'Turn off 2FA'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
