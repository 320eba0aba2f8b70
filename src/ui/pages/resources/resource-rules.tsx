// The threshold rules in force, read-only (they are changed in rule files), each with its state per target.
import type { ResourceRule } from '../../api/resources.api.ts';
import { TimeText } from '../../components/time-text.tsx';
import { formatDuration } from '../../util/format.ts';
import { SeverityBadge } from '../security/severity-badge.tsx';
import { formatLoad, formatPct } from './format.ts';
import { StateBadge } from './state-badge.tsx';

const PERCENT = new Set(['cpu', 'memory', 'swap', 'disk', 'server_cpu', 'server_memory', 'server_disk']);
const LABELS: Record<string, string> = {
  cpu: 'CPU',
  memory: 'Memory',
  swap: 'Swap',
  load1: 'Load (1 min)',
  load5: 'Load (5 min)',
  load15: 'Load (15 min)',
  load1_per_cpu: 'Load per CPU (1 min)',
  load5_per_cpu: 'Load per CPU (5 min)',
  load15_per_cpu: 'Load per CPU (15 min)',
  server_cpu: 'A server\'s CPU, of its limit,',
  server_memory: 'A server\'s memory, of its limit,',
  server_disk: 'A server\'s data directory, of its disk limit,',
};
const value = (rule: ResourceRule, v: number) => (PERCENT.has(rule.metric) ? formatPct(v) : formatLoad(v));
/** A rule's level as written in its file: "90 %", "2". */
const level = (rule: ResourceRule, v: number) => (PERCENT.has(rule.metric) ? `${v} %` : String(v));

function condition(rule: ResourceRule): string {
  const what = rule.metric === 'disk' ? `Disk ${rule.mount ?? '(each mount)'}` : (LABELS[rule.metric] ?? rule.metric);
  return `${what} above ${level(rule, rule.above)} for ${formatDuration(rule.forSeconds)}; clears below ${level(rule, rule.clearBelow)} for ${formatDuration(rule.clearForSeconds)}`;
}

function RuleRow({ rule }: { rule: ResourceRule }) {
  // Disks by mount and servers by name are listed each with its state.
  const many = rule.targets.length > 1 || (rule.metric.startsWith('server_') && rule.targets.length > 0);
  return (
    <tr data-testid={`resource-rule-${rule.id}`}>
      <th scope="row" class="cell-wrap cell-wide">
        <span class="mono">{rule.id}</span>
        <div class="cell-note muted small">{rule.description}</div>
        <div class="cell-note muted small">
          Defined in <span class="mono">{rule.file}</span>
        </div>
      </th>
      <td class="cell-wrap">{condition(rule)}</td>
      <td>
        <SeverityBadge severity={rule.severity} />
      </td>
      <td>
        {!rule.enabled ? (
          <StateBadge state="disabled" />
        ) : many ? (
          <ul class="cell-list" aria-label={`State of ${rule.id} per ${rule.metric.startsWith('server_') ? 'server' : 'mount'}`}>
            {rule.targets.map((t) => (
              <li key={t.target}>
                {t.name ? <span>{t.name}</span> : <span class="mono">{t.target}</span>} <StateBadge state={t.state} /> {value(rule, t.value)}
              </li>
            ))}
          </ul>
        ) : (
          <StateBadge state={rule.state} />
        )}
      </td>
      <td>{rule.enabled && rule.since ? <TimeText iso={rule.since} /> : <span class="muted">—</span>}</td>
      <td>{rule.enabled && rule.value !== null && !many ? value(rule, rule.value) : <span class="muted">—</span>}</td>
    </tr>
  );
}

export function ResourceRules({ rules }: { rules: ResourceRule[] }) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="resource-rules-table">
        <caption class="visually-hidden">Resource threshold rules and their state</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Condition</th>
            <th scope="col">Severity</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rules.length === 0 ? (
            <tr>
              <td colSpan={6} class="empty">
                No threshold rules are loaded (resource monitoring may be turned off in the configuration).
              </td>
            </tr>
          ) : (
            rules.map((rule) => <RuleRow key={rule.id} rule={rule} />)
          )}
        </tbody>
      </table>
    </div>
  );
}
