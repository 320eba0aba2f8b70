// One role with its scopes; custom roles get Edit and Delete when the user may edit roles.
import type { Role } from '../../api/types.ts';

type RoleCardProps = {
  role: Role;
  canEdit: boolean;
  onEdit: (role: Role) => void;
  onDelete: (role: Role) => void;
};

export function RoleCard({ role, canEdit, onEdit, onDelete }: RoleCardProps) {
  const headingId = `role-${role.id}-name`;
  return (
    <li class="card role-card" data-testid={`role-card-${role.name}`}>
      <div class="role-card-head">
        <h2 id={headingId}>{role.name}</h2>
        {role.builtin ? <span class="badge badge-neutral">Built-in</span> : <span class="badge badge-info">Custom</span>}
      </div>
      {role.description ? <p>{role.description}</p> : null}
      {role.scopes.length ? (
        <ul class="chips" aria-label={`Scopes of ${role.name}`}>
          {role.scopes.map((scope) => (
            <li key={scope} class="chip mono">
              {scope}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No scopes.</p>
      )}
      {canEdit && !role.builtin ? (
        <div class="row-actions">
          <button type="button" class="btn btn-small" onClick={() => onEdit(role)} data-testid="role-edit" aria-label={`Edit role ${role.name}`}>
            Edit
          </button>
          <button
            type="button"
            class="btn btn-small btn-danger-outline"
            onClick={() => onDelete(role)}
            data-testid="role-delete"
            aria-label={`Delete role ${role.name}`}
          >
            Delete
          </button>
        </div>
      ) : null}
      {role.builtin ? <p class="muted small">Built-in roles cannot be changed.</p> : null}
    </li>
  );
}
