// What the alert rests on: the detections behind it (with their events), the audit events, log lines and metric readings.
import type { AlertDetail, AlertEvidenceRef } from '../../api/alerts.types.ts';
import type { DetectionEvidence as DetectionEvent } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { localizeTimes } from '../../util/format.ts';
import { DetectionEvidence } from '../security/detection-evidence.tsx';
import { AuditEventsTable } from './audit-events-table.tsx';

type LogRef = Extract<AlertEvidenceRef, { kind: 'log' }>;
type MetricRef = Extract<AlertEvidenceRef, { kind: 'metric' }>;

function Detections({ detections }: { detections: AlertDetail['detections'] }) {
  return (
    <>
      {detections.map((detection) => (
        <div key={detection.id} class="evidence-block" data-testid="alert-detection">
          <h4 class="details-title">
            Detection <span class="mono">{detection.rule}</span>{' '}
            <span class="muted small">
              <TimeText iso={detection.ts} withSeconds /> · {detection.count} matching event{detection.count === 1 ? '' : 's'}
              {detection.outcome ? ` · ${localizeTimes(detection.outcome)}` : ''}
            </span>
          </h4>
          <DetectionEvidence evidence={detection.evidence as DetectionEvent[]} />
        </div>
      ))}
    </>
  );
}

function LogLines({ lines }: { lines: LogRef[] }) {
  return (
    <div class="table-wrap">
      <table class="table table-compact" data-testid="alert-log-lines">
        <caption class="visually-hidden">Log lines</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Source</th>
            <th scope="col">Line</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => (
            <tr key={index}>
              <td>
                <TimeText iso={line.ts} withSeconds />
              </td>
              <td>{line.source}</td>
              <td class="mono cell-wrap">{line.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Metrics({ readings }: { readings: MetricRef[] }) {
  return (
    <div class="table-wrap">
      <table class="table table-compact" data-testid="alert-metrics">
        <caption class="visually-hidden">Metric readings</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Metric</th>
            <th scope="col">Value</th>
            <th scope="col">Target</th>
          </tr>
        </thead>
        <tbody>
          {readings.map((reading, index) => (
            <tr key={index}>
              <td>
                <TimeText iso={reading.ts} withSeconds />
              </td>
              <td class="mono">{reading.metric}</td>
              <td>{reading.value}</td>
              <td>{reading.target ?? <span class="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AlertEvidence({ detail }: { detail: AlertDetail }) {
  const logs = detail.evidence.filter((e): e is LogRef => e.kind === 'log');
  const metrics = detail.evidence.filter((e): e is MetricRef => e.kind === 'metric');
  const empty = detail.detections.length === 0 && detail.auditEvents.length === 0 && logs.length === 0 && metrics.length === 0;
  if (empty) return <p class="muted">No evidence was kept for this alert.</p>;
  return (
    <div data-testid="alert-evidence">
      {detail.detections.length ? (
        <>
          <h3>Detections</h3>
          <Detections detections={detail.detections} />
        </>
      ) : null}
      {detail.auditEvents.length ? (
        <>
          <h3 class="alerts-subtitle">Audit events</h3>
          <AuditEventsTable events={detail.auditEvents} caption="Audit events behind the alert" testId="alert-audit-events" />
        </>
      ) : null}
      {logs.length ? (
        <>
          <h3 class="alerts-subtitle">Log lines</h3>
          <LogLines lines={logs} />
        </>
      ) : null}
      {metrics.length ? (
        <>
          <h3 class="alerts-subtitle">Metric readings</h3>
          <Metrics readings={metrics} />
        </>
      ) : null}
    </div>
  );
}
