// Settings page: panel-wide security settings (currently the admin IP allowlist).
import { getAllowlist } from '../api/settings.api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { hasScope } from '../session/scopes.ts';
import { useSession } from '../session/session-context.ts';
import { AllowlistEditor } from './settings/allowlist-editor.tsx';

export function SettingsPage() {
  const allowlist = useLoad(getAllowlist);
  const { user } = useSession();
  const canEdit = hasScope(user, 'settings.edit');
  return (
    <section>
      <PageHeader title="Settings" />
      <ErrorMessage message={allowlist.error} />
      {allowlist.loading && !allowlist.data ? <Loading /> : null}
      {allowlist.data ? <AllowlistEditor allowlist={allowlist.data} onSaved={allowlist.setData} readOnly={!canEdit} /> : null}
    </section>
  );
}
