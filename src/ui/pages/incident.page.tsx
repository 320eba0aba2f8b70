// Incident response page (administrators): maintenance mode and the new-password requirement (and undoing them), the
// lockdown with its report, and the review of what changed lately, each item linking to its events in the audit log.
import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';
import { getLockdown, getReview, liftPasswordReset, setMaintenance, type LockdownReport } from '../api/incident.api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { SelectField } from '../components/select-field.tsx';
import { TimeText } from '../components/time-text.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { Link } from '../router/link.tsx';
import { LockdownCard } from './incident/lockdown-card.tsx';
import './incident/incident.css';

function Report({ report }: { report: LockdownReport }) {
  return (
    <div class="card" data-testid="lockdown-report">
      <h2>Last lockdown</h2>
      <p class="muted">
        <TimeText iso={report.at} withSeconds /> by {report.by}
      </p>
      <ul class="lockdown-steps">
        {report.steps.map((s) => (
          <li key={s.step} data-testid={`lockdown-step-${s.step}`}>
            {s.detail}
          </li>
        ))}
      </ul>
      <p class="card-link">
        <Link href="/audit?type=lockdown.*">The lockdown in the audit log</Link>
      </p>
    </div>
  );
}

export function IncidentPage() {
  const state = useLoad(getLockdown);
  const [days, setDays] = useState('30');
  const review = useLoad(() => getReview(Number(days)), [days]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      state.reload();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const data = state.data;
  return (
    <section>
      <PageHeader title="Incident response" description="Lock the panel down after a suspected breach, and review what changed lately." />
      <ErrorMessage message={state.error ?? error} />
      <Notice message={notice} />
      {data?.maintenance ? (
        <div class="alert alert-warning alert-with-action" role="status" data-testid="maintenance-on">
          <span>
            <strong>Maintenance mode is on</strong> since <TimeText iso={data.maintenance.since} /> (by {data.maintenance.by}): only administrators may sign in.
          </span>
          <button type="button" class="btn btn-small" disabled={busy} onClick={() => void act(async () => (await setMaintenance(false), 'Maintenance mode is off: everyone may sign in again.'))} data-testid="maintenance-off">
            Turn off
          </button>
        </div>
      ) : null}
      {state.loading && !data ? <Loading /> : null}
      <div class="card-grid card-grid-2">
        <LockdownCard
          onDone={(report) => {
            state.setData((prev) => ({ maintenance: prev?.maintenance ?? null, lastReport: report }));
            state.reload();
            review.reload();
            setNotice('The panel is locked down. The report below says what was done.');
          }}
        />
        <div class="stack">
          {data?.lastReport ? <Report report={data.lastReport} /> : <p class="muted card">No lockdown yet.</p>}
          <div class="card stack">
            <h2>Undo</h2>
            <p class="muted small">Ended sessions, revoked tokens and replaced secrets stay so. These two can be undone:</p>
            <div class="form-actions">
              <button type="button" class="btn" disabled={busy || !data?.maintenance} onClick={() => void act(async () => (await setMaintenance(false), 'Maintenance mode is off.'))}>
                Turn maintenance mode off
              </button>
              <button
                type="button"
                class="btn"
                disabled={busy}
                onClick={() => void act(async () => `${(await liftPasswordReset()).users} user(s) no longer have to choose a new password.`)}
                data-testid="password-reset-lift"
              >
                Lift the new-password requirement
              </button>
            </div>
          </div>
        </div>
      </div>
      <section class="section" aria-labelledby="review-title" data-testid="incident-review">
        <div class="section-head">
          <h2 id="review-title">Review</h2>
          <div class="section-tools">
            <SelectField
              label="Over the last"
              value={days}
              onValue={setDays}
              options={[
                { value: '7', label: '7 days' },
                { value: '30', label: '30 days' },
                { value: '90', label: '90 days' },
              ]}
              testId="review-days"
            />
          </div>
        </div>
        <p class="muted">What a responder checks first. Anything you did not expect is worth a closer look in the audit log.</p>
        <ErrorMessage message={review.error} />
        {review.loading && !review.data ? <Loading /> : null}
        <div class="card-grid card-grid-2">
          {review.data?.sections.map((section) => (
            <div key={section.id} class="card" data-testid={`review-${section.id}`}>
              <h3>
                {section.title} <span class="badge badge-neutral badge-inline">{section.items.length}{section.truncated ? '+' : ''}</span>
              </h3>
              {section.items.length === 0 ? (
                <p class="muted small">None.</p>
              ) : (
                <ul class="review-items">
                  {section.items.slice(0, 10).map((item, i) => (
                    <li key={`${item.auditId ?? item.ts}-${i}`} data-testid="review-item">
                      <TimeText iso={item.ts} /> · <span class="mono small">{item.what}</span>
                      {item.target ? <> · {item.target}</> : null}
                      {item.who ? <span class="muted"> · by {item.who}</span> : null}
                      {item.ip ? <span class="muted mono small"> · {item.ip}</span> : null}
                    </li>
                  ))}
                </ul>
              )}
              <p class="card-link">
                {section.id === 'new_networks' ? <Link href="/security/detections">Detections</Link> : <Link href={`/audit?type=${encodeURIComponent(section.auditTypes[0] ?? '')}`}>In the audit log</Link>}
              </p>
            </div>
          ))}
        </div>
      </section>
    </section>
  );
}
