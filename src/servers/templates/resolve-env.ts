// A server's environment: the template's defaults, the server's own values checked against the rules, and the port variables.
import { AppError } from '../../shared/errors.ts';
import { envValueProblem } from './env-rules.ts';
import type { Template } from './template.schema.ts';

export type EnvProblem = { variable: string; reason: string };

/** Values a server gave that the template does not accept; every problem is listed, the message names them all. */
export class ServerEnvError extends AppError {
  readonly problems: EnvProblem[];

  constructor(templateId: string, problems: EnvProblem[]) {
    super(400, 'invalid_env', `environment for template "${templateId}": ${problems.map((p) => `${p.variable}: ${p.reason}`).join('; ')}`, {
      details: { template: templateId, problems },
    });
    this.name = 'ServerEnvError';
    this.problems = problems;
  }
}

/**
 * The environment of a server, in the template's order then the port variables. given holds the server's own values
 * ("" or absent means "not set": the default applies); ports holds the allocated host port of each template port.
 */
export function resolveEnv(
  template: Template,
  given: Readonly<Record<string, string>>,
  ports: ReadonlyArray<{ name: string; hostPort: number }>,
): Record<string, string> {
  const problems: EnvProblem[] = [];
  const declared = new Map(template.env.map((v) => [v.name, v]));
  const portVars = new Set(template.ports.flatMap((p) => (p.env === undefined ? [] : [p.env])));
  for (const [name, value] of Object.entries(given)) {
    const v = declared.get(name);
    if (portVars.has(name)) problems.push({ variable: name, reason: 'is set by the panel from the allocated port' });
    else if (!v) problems.push({ variable: name, reason: `is not a variable of template "${template.id}"` });
    else if (typeof value !== 'string') problems.push({ variable: name, reason: 'must be a string' });
    // SECURITY: a variable the template locks keeps its default; sending that same value back is not a change.
    else if (!v.editable && value !== '' && value !== v.default) problems.push({ variable: name, reason: 'cannot be changed for a server (the template locks it)' });
  }
  const env: Record<string, string> = {};
  const reported = new Set(problems.map((p) => p.variable));
  for (const v of template.env) {
    if (reported.has(v.name)) continue;
    const own = Object.hasOwn(given, v.name) && v.editable ? given[v.name] : undefined;
    const value = typeof own === 'string' && own !== '' ? own : v.default;
    if (value === undefined || value === '') {
      if (v.required) problems.push({ variable: v.name, reason: 'is required' });
      continue;
    }
    const why = envValueProblem(v.rule, value);
    if (why) problems.push({ variable: v.name, reason: why });
    else env[v.name] = value;
  }
  for (const p of template.ports) {
    if (p.env === undefined) continue;
    const allocated = ports.find((a) => a.name === p.name);
    if (!allocated || !Number.isInteger(allocated.hostPort) || allocated.hostPort < 1 || allocated.hostPort > 65535) {
      problems.push({ variable: p.env, reason: `port "${p.name}" has no allocated host port` });
    } else {
      env[p.env] = String(allocated.hostPort);
    }
  }
  if (problems.length > 0) throw new ServerEnvError(template.id, problems);
  return env;
}
