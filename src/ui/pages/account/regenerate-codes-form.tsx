// Form to replace all recovery codes, confirmed with the password and a code from the authenticator app.
import { regenerateRecoveryCodes } from '../../api/two-factor.api.ts';
import { CodeField } from '../../components/code-field.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';
import { compactCode } from '../../util/two-factor.ts';
import { useProofForm } from './use-proof-form.ts';

type RegenerateCodesFormProps = {
  onGenerated: (codes: string[]) => void;
  onCancel: () => void;
};

export function RegenerateCodesForm({ onGenerated, onCancel }: RegenerateCodesFormProps) {
  const { password, setPassword, code, setCode, error, busy, passwordInput, codeInput, submit } = useProofForm(async (typed, proof) =>
    onGenerated((await regenerateRecoveryCodes(typed, compactCode(proof))).recoveryCodes),
  );

  return (
    <form class="form subcard" onSubmit={submit} aria-labelledby="twofa-regenerate-title" data-testid="twofa-regenerate-form">
      <h3 id="twofa-regenerate-title">Generate new recovery codes</h3>
      <p class="muted">Your current recovery codes stop working as soon as the new ones are made.</p>
      <TextField
        label="Password"
        type="password"
        value={password}
        onValue={setPassword}
        testId="twofa-regenerate-password"
        autoComplete="current-password"
        inputRef={passwordInput}
        required
      />
      <CodeField value={code} onValue={setCode} testId="twofa-regenerate-code" inputRef={codeInput} />
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="twofa-regenerate-submit">
          {busy ? 'Generating…' : 'Generate new codes'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
