// Form to create a server from a template: name, template (with what it runs), node (automatic by default: the one with
// the most free capacity), limits, the template's variables as fields fitting their rules, host ports and restart
// policy; the server's objections appear next to their fields.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError } from '../../api/api-error.ts';
import { createServer } from '../../api/servers.api.ts';
import { AUTO_NODE, type DockerNode, type RestartPolicy, type Server, type ServerLimits, type Template } from '../../api/servers.types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { TextField } from '../../components/text-field.tsx';
import { EnvField, envFieldId } from './env-field.tsx';
import { buildNewServer, draftFor, envProblemsOf, MAX_NAME, type ServerDraft } from './server-draft.ts';
import { capacityText } from './server-format.ts';

type ServerCreateFormProps = {
  templates: Template[];
  /** The nodes to choose from; null when the user may not list them (the panel places the server). */
  nodes: DockerNode[] | null;
  onCreated: (server: Server) => void;
  onCancel: () => void;
};

const restartOptions: Array<{ value: RestartPolicy; label: string }> = [
  { value: 'never', label: 'Never: a crashed server stays stopped' },
  { value: 'on-crash', label: 'On crash: start it again, waiting longer after each crash in a row' },
];

const limitFields: Array<{ key: keyof ServerLimits; label: string; hint: string; step: number; min: number }> = [
  { key: 'memoryMb', label: 'Memory (MiB)', hint: 'No swap on top of it.', step: 1, min: 16 },
  { key: 'cpu', label: 'CPU cores', hint: 'Such as 0.5 or 2.', step: 0.01, min: 0.01 },
  { key: 'pids', label: 'Processes', hint: 'Processes and threads at once.', step: 1, min: 16 },
  { key: 'diskMb', label: 'Disk (MiB)', hint: 'Quota of its data directory.', step: 1, min: 16 },
];

const nodeLabel = (n: DockerNode) =>
  `${n.name} (${n.publicIp}, ports ${n.portRange.min}–${n.portRange.max})${n.health && !n.health.reachable ? ' — not reachable' : n.capacity ? ` — ${capacityText(n.capacity)}` : ''}`;

const AUTO_LABEL = 'Automatic (most free capacity)';

export function ServerCreateForm({ templates, nodes, onCreated, onCancel }: ServerCreateFormProps) {
  const [draft, setDraft] = useState<ServerDraft>(() => draftFor(templates[0], { name: '', node: AUTO_NODE, restartPolicy: 'never' }));
  const [error, setError] = useState<string | null>(null);
  /** The server's objection to each variable, by name. */
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const template = templates.find((t) => t.id === draft.template);
  const node = nodes?.find((n) => n.id === draft.node);

  // The first field the server objected to takes focus, so it is the next thing read and typed.
  useEffect(() => {
    const first = template?.env.find((v) => problems[v.name]) ?? null;
    const port = template?.ports.find((p) => p.env && problems[p.env]);
    const id = first ? envFieldId(first.name) : port ? `server-port-${port.name}` : null;
    if (id) document.getElementById(id)?.focus();
  }, [problems]);

  const set = <K extends keyof ServerDraft>(key: K, value: ServerDraft[K]) => setDraft((prev) => ({ ...prev, [key]: value }));
  const pickTemplate = (id: string) => {
    setProblems({});
    setError(null);
    setDraft((prev) => draftFor(templates.find((t) => t.id === id), prev));
  };

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!template) return;
    const input = buildNewServer(draft, template);
    setProblems({});
    if ('error' in input) {
      setError(input.error);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await createServer(input.value));
    } catch (err) {
      const listed = err instanceof ApiError && err.code === 'invalid_env' ? envProblemsOf(err.details) : [];
      if (listed.length) {
        setProblems(Object.fromEntries(listed.map((p) => [p.variable, `${p.variable} ${p.reason}.`])));
        setError(`The template does not accept ${listed.length === 1 ? 'a value' : 'some values'}: see the field${listed.length === 1 ? '' : 's'} marked below.`);
      } else {
        setError(describeError(err));
      }
      setBusy(false);
    }
  };

  const portProblem = (env: string | undefined) => (env ? problems[env] : undefined);

  return (
    <form class="card form server-form" onSubmit={submit} aria-labelledby="server-create-title" aria-busy={busy} data-testid="server-form">
      <h2 id="server-create-title">New server</h2>
      <fieldset class="form-plain" disabled={busy}>
        <div class="form-grid">
          <TextField label="Name" value={draft.name} onValue={(v) => set('name', v)} testId="server-form-name" autoComplete="off" required maxLength={MAX_NAME} autoFocus />
          <SelectField
            label="Template"
            value={draft.template}
            onValue={pickTemplate}
            options={templates.map((t) => ({ value: t.id, label: t.name }))}
            testId="server-form-template"
          />
          {nodes ? (
            <SelectField
              label="Node"
              value={draft.node}
              onValue={(v) => set('node', v)}
              options={[{ value: AUTO_NODE, label: AUTO_LABEL }, ...nodes.map((n) => ({ value: n.id, label: nodeLabel(n) }))]}
              testId="server-form-node"
            />
          ) : (
            <div class="field">
              <p class="field-label">Node</p>
              <p class="field-static" data-testid="server-form-node-fixed">
                Automatic <span class="muted small">(the node with the most free capacity)</span>
              </p>
            </div>
          )}
        </div>
        {template ? (
          <div class="template-about" data-testid="server-form-template-description">
            <p>{template.description || 'No description.'}</p>
            <p class="muted small">
              Image <span class="mono">{template.image}</span>
              {template.stop.command ? (
                <>
                  {' '}
                  · stopped with the console command <span class="mono">{template.stop.command}</span>, killed after {template.stop.timeoutSeconds} s
                </>
              ) : null}
            </p>
          </div>
        ) : null}

        {template ? (
          <>
            <fieldset class="fieldset">
              <legend>Limits</legend>
              <p class="field-hint">The template's defaults; the panel refuses limits above its configured maximum.</p>
              <div class="form-grid">
                {limitFields.map((f) => (
                  <TextField
                    key={f.key}
                    label={f.label}
                    type="number"
                    value={draft.limits[f.key]}
                    onValue={(v) => set('limits', { ...draft.limits, [f.key]: v })}
                    testId={`server-form-${f.key}`}
                    hint={f.hint}
                    min={f.min}
                    step={f.step}
                    required
                  />
                ))}
              </div>
            </fieldset>

            {template.env.length ? (
              <fieldset class="fieldset">
                <legend>Settings of {template.name}</legend>
                <div class="form-grid">
                  {template.env.map((v) => (
                    <EnvField
                      key={`${template.id}:${v.name}`}
                      variable={v}
                      value={draft.env[v.name] ?? ''}
                      onValue={(value) => {
                        set('env', { ...draft.env, [v.name]: value });
                        setProblems(({ [v.name]: _gone, ...rest }) => rest);
                      }}
                      problem={problems[v.name]}
                    />
                  ))}
                </div>
              </fieldset>
            ) : null}

            {template.ports.length ? (
              <fieldset class="fieldset">
                <legend>Ports</legend>
                <p class="field-hint">
                  Leave a port empty to take the lowest free one{node ? ` in ${node.portRange.min}–${node.portRange.max}` : " in the node's range"}.
                </p>
                <div class="form-grid">
                  {template.ports.map((p) => {
                    const problem = portProblem(p.env);
                    return (
                      <div key={p.name} class="field">
                        <label for={`server-port-${p.name}`}>
                          Host port: {p.name} <span class="muted small">({p.protocol})</span>
                        </label>
                        <input
                          id={`server-port-${p.name}`}
                          type="number"
                          min={node?.portRange.min ?? 1}
                          max={node?.portRange.max ?? 65_535}
                          step={1}
                          value={draft.ports[p.name] ?? ''}
                          onInput={(e) => set('ports', { ...draft.ports, [p.name]: e.currentTarget.value })}
                          placeholder="Automatic"
                          aria-invalid={problem ? true : undefined}
                          aria-describedby={problem ? `server-port-${p.name}-error` : undefined}
                          data-testid={`server-form-port-${p.name}`}
                        />
                        {problem ? (
                          <p class="field-error" id={`server-port-${p.name}-error`} data-testid="field-error">
                            {problem}
                          </p>
                        ) : null}
                      </div>
                    );
                  })}
                </div>
              </fieldset>
            ) : null}

            <SelectField
              label="Restart policy"
              value={draft.restartPolicy}
              onValue={(v) => set('restartPolicy', v as RestartPolicy)}
              options={restartOptions}
              testId="server-form-restart"
            />
          </>
        ) : (
          <p class="muted">No template is available: an administrator adds templates first.</p>
        )}
      </fieldset>
      <ErrorMessage message={error} />
      {busy ? (
        <p class="loading" role="status" aria-live="polite" data-testid="server-form-busy">
          <span class="spinner" aria-hidden="true" />
          Creating the server: its container and network are made, and its image is pulled if the node does not have it yet (that can take a few minutes).
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy || !template} data-testid="server-form-submit">
          {busy ? 'Creating…' : 'Create server'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
