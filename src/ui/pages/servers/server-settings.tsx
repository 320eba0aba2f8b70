// A server's settings and record: limits, restart policy, ports, its variables (own values and template defaults),
// crashes and last exit, and where it runs.
import type { Server, Template } from '../../api/servers.types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { limitsText, portText } from './server-format.ts';

const restartText = { never: 'Never (a crashed server stays stopped)', 'on-crash': 'On crash (started again after a growing delay)' };

function EnvTable({ server, template }: { server: Server; template: Template | undefined }) {
  const declared = template?.env ?? [];
  const portVars = new Map((template?.ports ?? []).flatMap((p) => (p.env ? [[p.env, p.name] as const] : [])));
  const own = Object.keys(server.env).filter((name) => !declared.some((v) => v.name === name));
  const rows = [
    ...declared.map((v) => ({ name: v.name, label: v.label, value: server.env[v.name] ?? v.default ?? null, source: v.name in server.env ? 'own' : 'default' })),
    ...own.map((name) => ({ name, label: '', value: server.env[name] ?? null, source: 'own' })),
    ...[...portVars].map(([name, port]) => ({ name, label: `Port ${port}`, value: String(server.ports.find((p) => p.name === port)?.hostPort ?? '—'), source: 'port' })),
  ];
  return (
    <div class="table-wrap">
      <table class="table table-compact" data-testid="server-env">
        <caption class="visually-hidden">Environment variables of {server.name}</caption>
        <thead>
          <tr>
            <th scope="col">Variable</th>
            <th scope="col">Value</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={3} class="empty">
                The template has no variables.
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">
                  <span class="mono">{r.name}</span>
                  {r.label ? <div class="cell-note muted small">{r.label}</div> : null}
                </th>
                <td class="mono cell-wrap">{r.value ?? <span class="muted">not set</span>}</td>
                <td class="muted">{r.source === 'own' ? 'this server' : r.source === 'port' ? 'the panel (allocated port)' : 'template default'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function ServerSettings({ server, template }: { server: Server; template: Template | undefined }) {
  return (
    <section class="servers-section" aria-labelledby="server-settings-title">
      <h2 id="server-settings-title">Settings</h2>
      <div class="card-grid card-grid-2">
        <div class="card" data-testid="server-facts">
          <h3>Configuration</h3>
          <dl class="facts">
            <dt>Template</dt>
            <dd>
              {template?.name ?? server.template} <span class="muted mono small">{server.template}</span>
            </dd>
            <dt>Limits</dt>
            <dd data-testid="server-limits">{limitsText(server.limits)}</dd>
            <dt>Ports</dt>
            <dd class="mono">{server.ports.length ? server.ports.map((p) => `${portText(p)} → ${p.container} (${p.name})`).join(', ') : <span class="muted">None</span>}</dd>
            <dt>Restart policy</dt>
            <dd data-testid="server-restart-policy">{restartText[server.restartPolicy] ?? server.restartPolicy}</dd>
            <dt>Node</dt>
            <dd>{server.node}</dd>
          </dl>
        </div>
        <div class="card" data-testid="server-record">
          <h3>Record</h3>
          <dl class="facts">
            <dt>Crashes in a row</dt>
            <dd data-testid="server-crash-count">{server.crashCount}</dd>
            <dt>Last exit code</dt>
            <dd data-testid="server-exit-code">{server.lastExitCode ?? <span class="muted">—</span>}</dd>
            <dt>Last started</dt>
            <dd>
              <TimeText iso={server.lastStartedAt} withSeconds />
            </dd>
            <dt>Last stopped</dt>
            <dd>
              <TimeText iso={server.lastExitedAt} withSeconds />
            </dd>
            <dt>Created</dt>
            <dd>
              <TimeText iso={server.createdAt} />
            </dd>
            <dt>Id</dt>
            <dd class="mono small">{server.id}</dd>
            <dt>Container</dt>
            <dd class="mono small">aether-{server.shortId}</dd>
          </dl>
        </div>
      </div>
      <h3 class="subsection-title">Environment</h3>
      <EnvTable server={server} template={template} />
    </section>
  );
}
