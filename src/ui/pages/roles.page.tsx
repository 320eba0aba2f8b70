// Roles page: list roles with their scopes; create, edit and delete custom roles.
import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';
import { deleteRole, listRoles, listScopes } from '../api/roles.api.ts';
import type { Role, Scope } from '../api/types.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { hasScope } from '../session/scopes.ts';
import { useSession } from '../session/session-context.ts';
import { RoleCard } from './roles/role-card.tsx';
import { RoleForm } from './roles/role-form.tsx';

type Panel = { kind: 'none' } | { kind: 'create' } | { kind: 'edit'; role: Role };

const noScopes = async (): Promise<Scope[]> => [];

export function RolesPage() {
  const { user } = useSession();
  const canEdit = hasScope(user, 'roles.edit');
  const roles = useLoad(listRoles);
  const scopes = useLoad(canEdit ? listScopes : noScopes, [canEdit]);
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [toDelete, setToDelete] = useState<Role | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const saved = (role: Role) => {
    roles.setData((prev) => {
      const list = prev ?? [];
      return list.some((r) => r.id === role.id) ? list.map((r) => (r.id === role.id ? role : r)) : [...list, role];
    });
    setNotice(panel.kind === 'edit' ? `Role ${role.name} was saved.` : `Role ${role.name} was created.`);
    setPanel({ kind: 'none' });
  };

  const confirmDelete = async () => {
    if (!toDelete) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await deleteRole(toDelete.id);
      const name = toDelete.name;
      roles.setData((prev) => (prev ?? []).filter((r) => r.id !== toDelete.id));
      setNotice(`Role ${name} was deleted.`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
      setToDelete(null);
    }
  };

  return (
    <section>
      <PageHeader
        title="Roles"
        description="A role groups scopes. Built-in roles are fixed; custom roles can be changed."
        actions={
          canEdit && panel.kind !== 'create' ? (
            <button
              type="button"
              class="btn btn-primary"
              onClick={() => {
                setNotice(null);
                setPanel({ kind: 'create' });
              }}
              data-testid="role-new"
            >
              New role
            </button>
          ) : null
        }
      />
      <ErrorMessage message={scopes.error} />
      {panel.kind !== 'none' ? (
        <RoleForm
          key={panel.kind === 'edit' ? panel.role.id : 'new'}
          role={panel.kind === 'edit' ? panel.role : null}
          scopes={scopes.data ?? []}
          onSaved={saved}
          onCancel={() => setPanel({ kind: 'none' })}
        />
      ) : null}
      <Notice message={notice} />
      <ErrorMessage message={error ?? roles.error} />
      {roles.loading ? (
        <Loading />
      ) : (
        <ul class="role-list" data-testid="roles-list">
          {(roles.data ?? []).map((role) => (
            <RoleCard
              key={role.id}
              role={role}
              canEdit={canEdit}
              onEdit={(r) => {
                setNotice(null);
                setPanel({ kind: 'edit', role: r });
              }}
              onDelete={setToDelete}
            />
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title="Delete role?"
        confirmLabel="Delete role"
        danger
        busy={busy}
        onCancel={() => setToDelete(null)}
        onConfirm={confirmDelete}
      >
        <p>
          The custom role <strong>{toDelete?.name}</strong> will be deleted. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
