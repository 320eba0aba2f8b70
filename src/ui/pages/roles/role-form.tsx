// Form to create or edit a custom role: name, description and a checkbox per scope.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { createRole, updateRole } from '../../api/roles.api.ts';
import type { Role, Scope } from '../../api/types.ts';
import { CheckboxField } from '../../components/checkbox-field.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';

type RoleFormProps = {
  role: Role | null;
  scopes: Scope[];
  onSaved: (role: Role) => void;
  onCancel: () => void;
};

export function RoleForm({ role, scopes, onSaved, onCancel }: RoleFormProps) {
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [selected, setSelected] = useState<string[]>(role?.scopes ?? []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (scope: string, checked: boolean) =>
    setSelected((prev) => (checked ? [...prev, scope] : prev.filter((s) => s !== scope)));

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const input = { name: name.trim(), description: description.trim(), scopes: selected };
    try {
      onSaved(role ? await updateRole(role.id, input) : await createRole(input));
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  // Scopes the form does not know (e.g. removed from the catalogue) are kept and shown too.
  const known = new Set(scopes.map((s) => s.name));
  const all: Scope[] = [
    ...scopes,
    ...selected.filter((s) => !known.has(s)).map((name) => ({ name, description: '', perServer: false })),
  ];
  const title = role ? `Edit role ${role.name}` : 'New role';

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="role-form-title" data-testid="role-form">
      <h2 id="role-form-title">{title}</h2>
      <div class="form-grid">
        <TextField label="Name" value={name} onValue={setName} testId="role-form-name" required autoFocus maxLength={64} />
        <TextField label="Description" value={description} onValue={setDescription} testId="role-form-description" maxLength={500} />
      </div>
      <fieldset class="fieldset">
        <legend>Scopes</legend>
        <div class="check-grid">
          {all.map((scope) => (
            <CheckboxField
              key={scope.name}
              label={
                <>
                  <span class="mono">{scope.name}</span>
                  {scope.perServer ? <span class="badge badge-neutral badge-inline">per server</span> : null}
                </>
              }
              description={scope.description || undefined}
              checked={selected.includes(scope.name)}
              onChecked={(checked) => toggle(scope.name, checked)}
              value={scope.name}
              testId={`role-scope-${scope.name}`}
            />
          ))}
        </div>
      </fieldset>
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="role-form-submit">
          {busy ? 'Saving…' : role ? 'Save role' : 'Create role'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
