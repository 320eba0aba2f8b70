// Security checklist page (administrators): each item of the documentation's checklist checked on this host and panel,
// with its status, what was found and how to fix it; the report is a minute old at most, Check again runs it anew.
import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';
import { getChecklist, type CheckItem } from '../api/checklist.api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { TimeText } from '../components/time-text.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { CheckStatusBadge } from './checklist/check-status-badge.tsx';
import './checklist/checklist.css';

function CheckCard({ item }: { item: CheckItem }) {
  return (
    <li class="card" data-testid="check-item" data-id={item.id} data-status={item.status}>
      <div class="check-head">
        <CheckStatusBadge status={item.status} />
        <h3>{item.title}</h3>
      </div>
      <p class="check-reason" data-testid="check-reason">
        {item.reason}
      </p>
      {item.fix ? (
        <p class="check-fix small" data-testid="check-fix">
          <strong>How to fix:</strong> {item.fix}
        </p>
      ) : null}
    </li>
  );
}

export function ChecklistPage() {
  const report = useLoad(() => getChecklist());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const data = report.data;

  const again = async () => {
    setBusy(true);
    setError(null);
    try {
      report.setData(await getChecklist(true));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <PageHeader
        title="Security checklist"
        description="The documentation's security checklist, checked on this host and panel. The same runs on the host with aether check."
        actions={
          <button type="button" class="btn" onClick={() => void again()} disabled={busy || report.loading} data-testid="checklist-refresh">
            {busy ? 'Checking…' : 'Check again'}
          </button>
        }
      />
      <ErrorMessage message={report.error ?? error} />
      {report.loading && !data ? <Loading label="Checking… (this takes a few seconds)" /> : null}
      {data ? (
        <>
          <p class="check-summary" data-testid="checklist-summary">
            <span class="badge badge-danger">{data.summary.fail} failed</span>
            <span class="badge badge-warning">{data.summary.warn} warnings</span>
            <span class="badge badge-success">{data.summary.pass} passed</span>
            <span class="muted small">
              Checked <TimeText iso={data.checkedAt} withSeconds />, Aether Panel {data.version}
            </span>
          </p>
          <ul class="check-items" data-testid="checklist-items">
            {data.items.map((item) => (
              <CheckCard key={item.id} item={item} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
