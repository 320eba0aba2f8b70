// Checkboxes of the signed-in user's own global scopes, the only ones a new client can get; admin comes first, with a warning.
import { CheckboxField } from '../../components/checkbox-field.tsx';

type ClientScopePickerProps = {
  /** The signed-in user's effective global scopes. */
  held: readonly string[];
  selected: readonly string[];
  onToggle: (scope: string, checked: boolean) => void;
};

const ADMIN_HINT = 'Grants everything the panel allows, on every server, now and in the future. Choose it only when nothing less will do.';

export function ClientScopePicker({ held, selected, onToggle }: ClientScopePickerProps) {
  const ordered = held.includes('admin') ? ['admin', ...held.filter((scope) => scope !== 'admin')] : [...held];
  return (
    <fieldset class="fieldset">
      <legend>Scopes</legend>
      <div class="stack">
        <p class="field-hint">Choose at least one here or below. A client can only get scopes you hold yourself.</p>
        {selected.includes('admin') ? (
          <p class="alert alert-warning" role="status" data-testid="client-form-admin-warning">
            <strong>This client gets full administrative access.</strong> Anyone holding its secret can do everything in the panel.
          </p>
        ) : null}
        <div class="check-grid">
          {ordered.map((scope) => (
            <CheckboxField
              key={scope}
              label={<span class="mono">{scope}</span>}
              description={scope === 'admin' ? ADMIN_HINT : undefined}
              checked={selected.includes(scope)}
              onChecked={(checked) => onToggle(scope, checked)}
              value={scope}
              testId={`client-form-scope-${scope}`}
            />
          ))}
        </div>
      </div>
    </fieldset>
  );
}
