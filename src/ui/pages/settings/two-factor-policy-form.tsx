// Editor of the two-factor authentication policy: who must use 2FA, never below the minimum the configuration file sets.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { saveTwoFactorPolicy } from '../../api/settings.api.ts';
import type { TwoFactorPolicySettings } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Notice } from '../../components/notice.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { useSession } from '../../session/session-context.ts';
import { isBelow, policyLabels, policyOrder, toPolicy } from '../../util/two-factor.ts';

type TwoFactorPolicyFormProps = {
  settings: TwoFactorPolicySettings;
  onSaved: (settings: TwoFactorPolicySettings) => void;
  /** Without settings.edit the policy is shown but cannot be changed. */
  readOnly?: boolean;
};

export function TwoFactorPolicyForm({ settings, onSaved, readOnly = false }: TwoFactorPolicyFormProps) {
  const session = useSession();
  const [value, setValue] = useState(settings.require2fa);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const minimum = settings.configMinimum;

  const options = policyOrder.map((policy) => ({ value: policy, label: policyLabels[policy], disabled: isBelow(policy, minimum) }));
  const hint =
    'Administrators means every user holding the admin scope. Users the policy covers must set up 2FA before they can use the panel.' +
    (minimum === 'none' ? '' : ` The configuration file sets the minimum (${policyLabels[minimum]}), so lower options cannot be chosen.`);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await saveTwoFactorPolicy(value);
      setValue(saved.require2fa);
      setNotice('The two-factor policy was saved.');
      onSaved(saved);
      // A stricter policy may now cover the signed-in user too; the session says whether setup is due.
      if (!session.user?.twoFactorEnabled) void session.refresh();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="policy-2fa-title" data-testid="policy-2fa-form">
      <h2 id="policy-2fa-title">Two-factor authentication policy</h2>
      <dl class="facts">
        <dt>In effect</dt>
        <dd data-testid="policy-2fa-effective">{policyLabels[settings.effective]}</dd>
        <dt>Minimum from the configuration file</dt>
        <dd data-testid="policy-2fa-minimum">{policyLabels[minimum]}</dd>
      </dl>
      <SelectField
        label="Require 2FA for"
        value={value}
        onValue={(next) => setValue(toPolicy(next))}
        options={options}
        hint={hint}
        disabled={readOnly}
        testId="policy-2fa-select"
      />
      <ErrorMessage message={error} />
      <Notice message={notice} />
      {readOnly ? null : (
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="policy-2fa-save">
            {busy ? 'Saving…' : 'Save policy'}
          </button>
        </div>
      )}
    </form>
  );
}
