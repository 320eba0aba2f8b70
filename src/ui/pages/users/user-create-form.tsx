// Form to create a user account with an initial global role.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import type { Role, User } from '../../api/types.ts';
import { createUser } from '../../api/users.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { TextField } from '../../components/text-field.tsx';

type UserCreateFormProps = {
  roles: Role[];
  onCreated: (user: User) => void;
  onCancel: () => void;
};

export function UserCreateForm({ roles, onCreated, onCancel }: UserCreateFormProps) {
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [roleId, setRoleId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await createUser({
        username: username.trim(),
        email: email.trim(),
        password,
        roles: roleId ? [{ roleId, serverId: null }] : [],
      });
      onCreated(user);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  const roleOptions = [{ value: '', label: 'No role' }, ...roles.map((role) => ({ value: role.id, label: role.name }))];

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="user-create-title" data-testid="user-form">
      <h2 id="user-create-title">New user</h2>
      <div class="form-grid">
        <TextField label="Username" value={username} onValue={setUsername} testId="user-form-username" autoComplete="off" required autoFocus />
        <TextField label="Email" type="email" value={email} onValue={setEmail} testId="user-form-email" autoComplete="off" required />
        <TextField
          label="Password"
          type="password"
          value={password}
          onValue={setPassword}
          testId="user-form-password"
          autoComplete="new-password"
          required
        />
        <SelectField label="Role" value={roleId} onValue={setRoleId} options={roleOptions} testId="user-form-role" />
      </div>
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="user-form-submit">
          {busy ? 'Creating…' : 'Create user'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
