// Settings page: panel-wide security settings (the admin IP allowlist, the two-factor authentication policy and who may
// open the status page).
import { getAllowlist, getStatusPageSettings, getTwoFactorPolicy } from '../api/settings.api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { hasScope } from '../session/scopes.ts';
import { useSession } from '../session/session-context.ts';
import { AllowlistEditor } from './settings/allowlist-editor.tsx';
import { StatusPageForm } from './settings/status-page-form.tsx';
import { TwoFactorPolicyForm } from './settings/two-factor-policy-form.tsx';

export function SettingsPage() {
  const allowlist = useLoad(getAllowlist);
  const twoFactor = useLoad(getTwoFactorPolicy);
  const statusPage = useLoad(getStatusPageSettings);
  const { user } = useSession();
  const canEdit = hasScope(user, 'settings.edit');
  return (
    <section>
      <PageHeader title="Settings" />
      <ErrorMessage message={allowlist.error} />
      {allowlist.loading && !allowlist.data ? <Loading /> : null}
      {allowlist.data ? <AllowlistEditor allowlist={allowlist.data} onSaved={allowlist.setData} readOnly={!canEdit} /> : null}
      <ErrorMessage message={twoFactor.error} />
      {twoFactor.loading && !twoFactor.data ? <Loading /> : null}
      {twoFactor.data ? <TwoFactorPolicyForm settings={twoFactor.data} onSaved={twoFactor.setData} readOnly={!canEdit} /> : null}
      <ErrorMessage message={statusPage.error} />
      {statusPage.data ? <StatusPageForm settings={statusPage.data} onSaved={statusPage.setData} readOnly={!canEdit} /> : null}
    </section>
  );
}
