// Form to change a user's email, global roles and disabled state.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import type { Role, RoleAssignment, User } from '../../api/types.ts';
import { setUserRoles, updateUser } from '../../api/users.api.ts';
import { CheckboxField } from '../../components/checkbox-field.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';

type UserEditFormProps = {
  user: User;
  roles: Role[];
  isSelf: boolean;
  onSaved: (user: User) => void;
  onCancel: () => void;
};

const globalRoleIds = (user: User) => user.roles.filter((r) => r.serverId === null).map((r) => r.roleId);

export function UserEditForm({ user, roles, isSelf, onSaved, onCancel }: UserEditFormProps) {
  const [email, setEmail] = useState(user.email);
  const [disabled, setDisabled] = useState(user.disabled);
  const [roleIds, setRoleIds] = useState<string[]>(globalRoleIds(user));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggleRole = (roleId: string, checked: boolean) =>
    setRoleIds((prev) => (checked ? [...prev, roleId] : prev.filter((id) => id !== roleId)));

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let saved = user;
      const patch: { email?: string; disabled?: boolean } = {};
      if (email.trim() !== user.email) patch.email = email.trim();
      if (disabled !== user.disabled) patch.disabled = disabled;
      if (Object.keys(patch).length > 0) saved = await updateUser(user.id, patch);

      const before = [...globalRoleIds(user)].sort().join(',');
      if ([...roleIds].sort().join(',') !== before) {
        // Per-server assignments are not edited here, so they are sent back unchanged.
        const perServer: RoleAssignment[] = user.roles
          .filter((r) => r.serverId !== null)
          .map((r) => ({ roleId: r.roleId, serverId: r.serverId }));
        const global: RoleAssignment[] = roleIds.map((roleId) => ({ roleId, serverId: null }));
        saved = await setUserRoles(user.id, [...global, ...perServer]);
      }
      onSaved(saved);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="user-edit-title" data-testid="user-edit-form">
      <h2 id="user-edit-title">Edit {user.username}</h2>
      <TextField label="Email" type="email" value={email} onValue={setEmail} testId="user-edit-email" autoComplete="off" required autoFocus />
      <fieldset class="fieldset">
        <legend>Roles</legend>
        {roles.length === 0 ? <p class="muted">No roles available.</p> : null}
        <div class="check-grid">
          {roles.map((role) => (
            <CheckboxField
              key={role.id}
              label={role.name}
              description={role.description}
              checked={roleIds.includes(role.id)}
              onChecked={(checked) => toggleRole(role.id, checked)}
              testId={`user-edit-role-${role.name}`}
            />
          ))}
        </div>
      </fieldset>
      {isSelf ? null : (
        <CheckboxField
          label="Account disabled"
          description="A disabled user cannot sign in."
          checked={disabled}
          onChecked={setDisabled}
          testId="user-edit-disabled"
        />
      )}
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="user-edit-submit">
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
