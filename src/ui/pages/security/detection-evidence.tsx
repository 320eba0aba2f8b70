// The events that made a rule fire, in the order they happened, as a compact table with each request and extra fields.
import type { DetectionEvidence as Evidence } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';

const fieldText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The extra fields that carry a value, as "name: value". */
function fieldList(fields: Evidence['fields']): string[] {
  if (!fields) return [];
  return Object.entries(fields)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([name, value]) => `${name}: ${fieldText(value)}`);
}

function EvidenceRow({ item }: { item: Evidence }) {
  const fields = fieldList(item.fields);
  return (
    <tr>
      <td>
        <TimeText iso={new Date(item.ts).toISOString()} withSeconds />
      </td>
      <td class="mono">{item.event}</td>
      <td>
        {item.source}
        {item.service ? <span class="muted"> · {item.service}</span> : null}
      </td>
      <td class="mono">{item.ip ?? '—'}</td>
      <td>{item.user ?? <span class="muted">—</span>}</td>
      <td class="cell-wrap">
        {item.http ? (
          <>
            <span class="mono">
              {item.http.method} {item.http.path} → {item.http.status}
            </span>
            {item.http.userAgent ? <div class="muted small">{item.http.userAgent}</div> : null}
          </>
        ) : null}
        {fields.length ? (
          <ul class="cell-list mono small">
            {fields.map((field) => (
              <li key={field}>{field}</li>
            ))}
          </ul>
        ) : null}
        {!item.http && !fields.length ? <span class="muted">—</span> : null}
      </td>
    </tr>
  );
}

export function DetectionEvidence({ evidence }: { evidence: Evidence[] }) {
  if (evidence.length === 0) {
    return (
      <p class="muted" data-testid="detection-evidence">
        No events were kept for this detection.
      </p>
    );
  }
  return (
    <div class="table-wrap">
      <table class="table table-compact" data-testid="detection-evidence">
        <caption class="visually-hidden">Events behind the detection</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Source</th>
            <th scope="col">IP</th>
            <th scope="col">User</th>
            <th scope="col">Request and fields</th>
          </tr>
        </thead>
        <tbody>
          {evidence.map((item, index) => (
            <EvidenceRow key={index} item={item} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
