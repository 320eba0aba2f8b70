// The create-server form's values as typed, filled from a template, and turned into the API's request (or a message).
import { AUTO_NODE, type EnvProblem, type NewServerInput, type RestartPolicy, type ServerLimits, type Template, type TemplateEnvVar } from '../../api/servers.types.ts';

export type LimitsDraft = Record<keyof ServerLimits, string>;

export type ServerDraft = {
  name: string;
  template: string;
  /** A node's id, or AUTO_NODE: the panel picks the node with the most free capacity. */
  node: string;
  limits: LimitsDraft;
  /** Each variable's value as typed ("true"/"false" for a checkbox). */
  env: Record<string, string>;
  /** Host port per template port name; "" takes the lowest free one. */
  ports: Record<string, string>;
  restartPolicy: RestartPolicy;
};

export const MAX_NAME = 64;

/** The value a variable starts with in the form: its default, or off / nothing chosen. */
export function initialValue(v: TemplateEnvVar): string {
  if (v.default !== undefined) return v.default;
  return v.rule.type === 'boolean' ? 'false' : '';
}

/** The form filled from a template; name, node and restart policy stay as they were. */
export function draftFor(template: Template | undefined, prev: Pick<ServerDraft, 'name' | 'node' | 'restartPolicy'>): ServerDraft {
  const limits = template?.limits;
  return {
    ...prev,
    template: template?.id ?? '',
    limits: {
      memoryMb: limits ? String(limits.memoryMb) : '',
      cpu: limits ? String(limits.cpu) : '',
      pids: limits ? String(limits.pids) : '',
      diskMb: limits ? String(limits.diskMb) : '',
    },
    env: Object.fromEntries((template?.env ?? []).map((v) => [v.name, initialValue(v)])),
    ports: Object.fromEntries((template?.ports ?? []).map((p) => [p.name, ''])),
  };
}

const LIMIT_LABELS: Record<keyof ServerLimits, string> = { memoryMb: 'Memory', cpu: 'CPU', pids: 'Processes', diskMb: 'Disk' };

/** The request for the draft, or what to fix first. Variables are sent only where they differ from the default. */
export function buildNewServer(draft: ServerDraft, template: Template): { value: NewServerInput } | { error: string } {
  const name = draft.name.trim();
  if (!name) return { error: 'Give the server a name.' };
  if (name.length > MAX_NAME) return { error: `A name can be at most ${MAX_NAME} characters.` };
  const limits: Partial<ServerLimits> = {};
  for (const key of Object.keys(LIMIT_LABELS) as Array<keyof ServerLimits>) {
    const text = draft.limits[key].trim();
    const n = Number(text);
    if (!text || !Number.isFinite(n) || n <= 0 || (key !== 'cpu' && !Number.isInteger(n))) {
      return { error: `${LIMIT_LABELS[key]}: enter a ${key === 'cpu' ? 'number of CPU cores such as 0.5 or 2' : 'whole number'}.` };
    }
    limits[key] = n;
  }
  const env: Record<string, string> = {};
  for (const v of template.env) {
    const value = draft.env[v.name] ?? '';
    if (v.editable && value !== '' && value !== v.default) env[v.name] = value;
  }
  const ports: Record<string, number> = {};
  for (const p of template.ports) {
    const text = (draft.ports[p.name] ?? '').trim();
    if (!text) continue;
    const port = Number(text);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) return { error: `Port ${p.name}: enter a port number from 1 to 65535, or leave it empty.` };
    ports[p.name] = port;
  }
  return {
    value: {
      name,
      template: template.id,
      node: draft.node || AUTO_NODE,
      limits,
      ...(Object.keys(env).length ? { env } : {}),
      ...(Object.keys(ports).length ? { ports } : {}),
      restartPolicy: draft.restartPolicy,
    },
  };
}

/** The problems of an invalid_env error, from its details. */
export function envProblemsOf(details: Record<string, unknown> | null): EnvProblem[] {
  const problems = details?.['problems'];
  if (!Array.isArray(problems)) return [];
  return problems.filter((p): p is EnvProblem => typeof p?.variable === 'string' && typeof p?.reason === 'string');
}

/** What a variable's rule asks for, in words (shown under its field). */
export function ruleHint(v: TemplateEnvVar): string | null {
  const rule = v.rule;
  if (rule.type === 'integer') return `A whole number from ${rule.min} to ${rule.max}.`;
  if (rule.type === 'string' && rule.pattern) return `Must match ${rule.pattern} (at most ${rule.maxLength} characters).`;
  return null;
}
