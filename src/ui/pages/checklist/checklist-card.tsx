// Dashboard card: how many checklist items fail, warn and pass, linking to the Security checklist page.
import { getChecklist } from '../../api/checklist.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { Link } from '../../router/link.tsx';
import { CHECKLIST_PATH } from './checklist-paths.ts';

export function ChecklistCard() {
  const checklist = useLoad(() => getChecklist());
  const data = checklist.data;
  return (
    <div class="card" data-testid="dashboard-checklist">
      <h2>Security checklist</h2>
      <ErrorMessage message={checklist.error} />
      {checklist.loading ? <Loading label="Checking…" /> : null}
      {data ? (
        <dl class="facts">
          <dt>Failed</dt>
          <dd data-testid="dashboard-checklist-fail">{data.summary.fail ? <span class="badge badge-danger">{data.summary.fail}</span> : 0}</dd>
          <dt>Warnings</dt>
          <dd data-testid="dashboard-checklist-warn">{data.summary.warn ? <span class="badge badge-warning">{data.summary.warn}</span> : 0}</dd>
          <dt>Passed</dt>
          <dd data-testid="dashboard-checklist-pass">{data.summary.pass}</dd>
          <dt>Checked</dt>
          <dd>
            <TimeText iso={data.checkedAt} />
          </dd>
        </dl>
      ) : null}
      <p class="card-link">
        <Link href={CHECKLIST_PATH}>Security checklist</Link>
      </p>
    </div>
  );
}
