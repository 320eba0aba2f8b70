// The template format: the only things a server template may declare (image, command, env rules, ports, stop, limits, data path, user, capabilities, network).
import { posix } from 'node:path';
import { z } from 'zod';
import { ALLOWED_CAPABILITIES, capabilityProblem } from './capabilities.ts';
import { envValueProblem, MAX_ENV_VALUE, patternProblem } from './env-rules.ts';
import { findForbiddenOption } from './forbidden-options.ts';
import { TemplateError } from './template.error.ts';

export { TemplateError };

// Docker's reference grammar (distribution/reference): [domain[:port]/]path[:tag][@sha256:digest]. The length is
// checked first, which bounds the backtracking of the alternations below.
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
export const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]{1,5})?/)?${PATH_PART}(?:/${PATH_PART})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);
export const MAX_IMAGE_LENGTH = 255;
const IMAGE_MESSAGE = 'must be a Docker image reference: [registry/]name[:tag][@sha256:<64 hex digits>], lower-case name, no spaces';

export const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGKILL'] as const;

/** Directories of the image a data mount would hide or replace; /tmp is the scratch tmpfs. */
const SYSTEM_DIRS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/run', '/sbin', '/sys', '/tmp', '/usr'];

const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/** The error option of a field: "is required" when it is missing, the message otherwise. */
const says = (message: string) => ({ error: (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : message) });

const int = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number(says(message)).int(message).min(min, message).max(max, message);
};

const line = (max: number) =>
  z.string(says('must be a string')).min(1, 'must not be empty').max(max, `must be at most ${max} characters`).refine((s) => !CONTROL.test(s), 'must be one line without control characters');

const envName = z.string(says('must be a string')).regex(ENV_NAME, 'must be upper-case letters, digits and _, not starting with a digit, at most 64 characters');

const stringRule = z.strictObject({
  type: z.literal('string'),
  pattern: z
    .string()
    .min(1)
    .max(300)
    .superRefine((p, ctx) => {
      const why = patternProblem(p);
      if (why) ctx.addIssue({ code: 'custom', message: why });
    })
    .optional()
    .describe('A regular expression (Unicode, no backreferences or lookaround) the whole value must match.'),
  maxLength: int(1, MAX_ENV_VALUE).default(256).describe('Longest value accepted.'),
});

const integerRule = z.strictObject({
  type: z.literal('integer'),
  min: int(-1e15, 1e15).describe('Smallest value accepted.'),
  max: int(-1e15, 1e15).describe('Largest value accepted.'),
});

const enumRule = z.strictObject({
  type: z.literal('enum'),
  values: z.array(line(256), { error: 'must be a list of strings' }).min(1, 'must list at least one value').max(100).describe('The accepted values.'),
});

const booleanRule = z.strictObject({ type: z.literal('boolean') });

const envRule = z.discriminatedUnion('type', [stringRule, integerRule, enumRule, booleanRule], says('must be a rule whose type is string, integer, enum or boolean'));

export type EnvRule = z.output<typeof envRule>;

const envVar = z.strictObject({
  name: envName.describe('The variable name, e.g. MAX_PLAYERS.'),
  label: line(100).describe('Shown next to the field in the panel.'),
  description: z.string().max(1000).refine((s) => !CONTROL_BUT_NEWLINE.test(s), 'must not contain control characters').default('').describe('Help text.'),
  default: z.string(says('must be a string')).max(MAX_ENV_VALUE).optional().describe('Used when the server does not set the variable.'),
  required: z.boolean(says('must be true or false')).describe('A server cannot start without a value.'),
  editable: z.boolean(says('must be true or false')).default(true).describe('Whether a server may set its own value; when false the default always applies.'),
  rule: envRule.describe('What a value must look like.'),
});

export type TemplateEnvVar = z.output<typeof envVar>;

const port = z.strictObject({
  name: z.string(says('must be a string')).regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lower-case letters, digits and -, starting with a letter').describe('e.g. game, query, rcon.'),
  container: int(1, 65535).describe('The port the program listens on inside the container when no env variable tells it another.'),
  protocol: z.enum(['tcp', 'udp'], says('must be tcp or udp')),
  env: envName.optional().describe('A variable the panel sets to the allocated host port; the program then listens on that port.'),
});

export type TemplatePort = z.output<typeof port>;

const stop = z.strictObject({
  command: line(256).optional().describe('Written to the console (stdin) to stop the server gracefully, e.g. "stop".'),
  signal: z.enum(STOP_SIGNALS, { error: `must be one of ${STOP_SIGNALS.join(', ')}` }).default('SIGTERM').describe('Sent when there is no stop command, or it did not stop the server.'),
  timeoutSeconds: int(1, 600).default(30).describe('How long to wait for the server to stop before it is killed.'),
});

/** Resource limits: a template's defaults for new servers, and the bounds every server's own limits must keep. */
export const limitsSchema = z.strictObject({
  memoryMb: int(16, 1_048_576).describe('Memory limit in MiB; there is never swap on top of it.'),
  cpu: z
    .number(says('must be a number of CPU cores from 0.01 to 256'))
    .min(0.01, 'must be a number of CPU cores from 0.01 to 256')
    .max(256, 'must be a number of CPU cores from 0.01 to 256')
    .describe('CPU cores, e.g. 0.5 or 2.'),
  pids: int(16, 32_768).describe('Most processes and threads at once.'),
  diskMb: int(16, 10_485_760).describe('Disk quota of the data directory in MiB.'),
}, says('must be an object with memoryMb, cpu, pids and diskMb'));

export type Limits = z.output<typeof limitsSchema>;

/** Why a path cannot be the data mount inside the container, or null. */
export function dataPathProblem(p: string): string | null {
  if (p.split('/').some((s) => s === '..' || s === '.')) return 'must not contain . or .. segments';
  if (!p.startsWith('/')) return 'must be an absolute path such as /data';
  if (p === '/') return 'cannot be / (it would replace the whole filesystem of the image)';
  if (!/^[A-Za-z0-9._/-]+$/.test(p)) return 'may only contain letters, digits, ., _, - and /';
  if (posix.normalize(p) !== p || p.endsWith('/')) return 'must be normalised: no // and no trailing /';
  const system = SYSTEM_DIRS.find((d) => p === d || p.startsWith(`${d}/`));
  if (system) return `cannot be ${p === system ? '' : 'under '}${system}: a system directory of the image`;
  return null;
}

const USER = /^([1-9][0-9]{0,9}):([1-9][0-9]{0,9})$/;
const MAX_ID = 2_147_483_647;

export const templateSchema = z
  .strictObject({
    id: z.string(says('must be a string')).regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2 to 63 lower-case letters, digits and -').describe('Stable identifier, e.g. minecraft-java.'),
    name: line(100).describe('Shown in the panel.'),
    description: z.string().max(2000).refine((s) => !CONTROL_BUT_NEWLINE.test(s), 'must not contain control characters').default('').describe('What it runs and what to know.'),
    image: z.string(says(IMAGE_MESSAGE)).max(MAX_IMAGE_LENGTH, IMAGE_MESSAGE).regex(IMAGE_REFERENCE, IMAGE_MESSAGE).describe('Default image of new servers.'),
    command: z
      .array(z.string(says('must be a string')).max(4096, 'must be at most 4096 characters').refine((s) => !s.includes('\u0000'), 'must not contain NUL'), { error: 'must be a list of strings (argv)' })
      .min(1, 'must not be empty; leave it out to run the image\'s own command')
      .max(64, 'must have at most 64 arguments')
      .optional()
      .describe('argv run instead of the image\'s CMD; no shell unless the template names one.'),
    env: z.array(envVar, { error: 'must be a list of variables' }).max(64, 'must have at most 64 variables').default([]),
    ports: z.array(port, { error: 'must be a list of ports' }).max(16, 'must have at most 16 ports').default([]),
    stop: stop.prefault({}),
    limits: limitsSchema.describe('Defaults of new servers.'),
    dataPath: z
      .string(says('must be a string'))
      .superRefine((p, ctx) => {
        const why = dataPathProblem(p);
        if (why) ctx.addIssue({ code: 'custom', message: why });
      })
      .describe('Where the server\'s data directory is mounted; the working directory.'),
    readOnlyRoot: z.boolean(says('must be true or false')).default(true).describe('Mount the image read-only, with a small tmpfs at /tmp.'),
    tmpfsMb: int(1, 1024).default(64).describe('Size of /tmp in MiB when the root is read-only (it counts against the memory limit).'),
    user: z
      .string(says('must be "uid:gid", e.g. "1000:1000"'))
      .superRefine((u, ctx) => {
        const m = USER.exec(u);
        // SECURITY: numbers only: a user name is resolved in the image's /etc/passwd, which the image author controls.
        if (!m) ctx.addIssue({ code: 'custom', message: 'must be numeric "uid:gid" with both at least 1, e.g. "1000:1000" (names are resolved by the image and could mean root)' });
        else if (Number(m[1]) > MAX_ID || Number(m[2]) > MAX_ID) ctx.addIssue({ code: 'custom', message: `uid and gid must be at most ${MAX_ID}` });
      })
      .default('1000:1000')
      .describe('The user the server runs as inside the container; never root.'),
    capabilities: z
      .array(z.enum(ALLOWED_CAPABILITIES, { error: (iss) => capabilityProblem(iss.input) }), { error: 'must be a list of capability names' })
      .default([])
      .describe(`Capabilities added back after all are dropped, from ${ALLOWED_CAPABILITIES.join(', ')}.`),
    network: z.enum(['isolated', 'none'], { error: 'must be "isolated" (its own network) or "none"' }).default('isolated'),
  })
  .superRefine((t, ctx) => {
    const problem = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
    const envNames = new Map<string, number>();
    t.env.forEach((v, i) => {
      const seen = envNames.get(v.name);
      if (seen !== undefined) problem(['env', i, 'name'], `${v.name} is already declared at env.${seen}`);
      envNames.set(v.name, i);
      if (v.rule.type === 'integer' && v.rule.min > v.rule.max) problem(['env', i, 'rule', 'max'], `must not be below min (${v.rule.min})`);
      if (v.rule.type === 'enum' && new Set(v.rule.values).size !== v.rule.values.length) problem(['env', i, 'rule', 'values'], 'must not repeat a value');
      if (v.default !== undefined) {
        const why = envValueProblem(v.rule, v.default);
        if (why) problem(['env', i, 'default'], `does not fit the rule: ${why}`);
      } else if (v.required && !v.editable) {
        problem(['env', i], 'a required variable that servers cannot edit needs a default');
      }
    });
    const portNames = new Set<string>();
    const bound = new Set<string>();
    const portEnv = new Set<string>();
    t.ports.forEach((p, i) => {
      if (portNames.has(p.name)) problem(['ports', i, 'name'], `port "${p.name}" is declared twice`);
      portNames.add(p.name);
      const key = `${p.container}/${p.protocol}`;
      if (bound.has(key)) problem(['ports', i, 'container'], `${key} is declared twice`);
      bound.add(key);
      if (p.env !== undefined) {
        if (envNames.has(p.env)) problem(['ports', i, 'env'], `${p.env} is also declared in env; the panel sets it from the port`);
        if (portEnv.has(p.env)) problem(['ports', i, 'env'], `${p.env} already receives another port`);
        portEnv.add(p.env);
      }
    });
    if (t.network === 'none' && t.ports.length > 0) problem(['ports'], 'a template with "network": "none" cannot publish ports');
    if (new Set(t.capabilities).size !== t.capabilities.length) problem(['capabilities'], 'must not repeat a capability');
  });

export type Template = z.output<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;

function idOf(json: unknown): string | null {
  if (json === null || typeof json !== 'object') return null;
  const id = (json as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id.slice(0, 63) : null;
}

/**
 * Checks a template (parsed JSON from a shipped file or the API) and returns it with defaults filled in. source names
 * where it came from ("minecraft-java.json", "api"); a TemplateError names the source, the field and why.
 */
export function parseTemplate(json: unknown, source: string): Template {
  const id = idOf(json);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TemplateError(source, null, [], 'must be a JSON object');
  const forbidden = findForbiddenOption(json);
  if (forbidden) throw new TemplateError(source, id, forbidden.path, forbidden.reason);
  const parsed = templateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      throw new TemplateError(source, id, [...issue.path, issue.keys[0]!], 'unknown key: not a template option');
    }
    throw new TemplateError(source, id, issue.path, issue.message);
  }
  return parsed.data;
}
