// `aether analyze`: replays log files through the monitor's rules offline, like fail2ban-regex, on the log's own clock.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFiles } from '../monitor/analyze.ts';
import type { Detection } from '../monitor/engine/engine.ts';
import { FORMATS, type LogFormat } from '../monitor/parsers/index.ts';
import { loadRules, RuleLoadError } from '../monitor/rules/loader.ts';
import { EXIT, UsageError, type Command } from './command.ts';

// The shipped rules directory, from the sources (src/cli) or from the bundle (dist).
const SHIPPED_RULES = ['../../rules', '../rules'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((dir) => existsSync(join(dir, 'sshd.yml'))) ?? 'rules';

const asJson = (d: Detection) =>
  JSON.stringify({ rule: d.rule, severity: d.severity, key: d.key, ip: d.ip, user: d.user, ts: new Date(d.ts).toISOString(), count: d.count, actions: d.actions, ...(Object.keys(d.details).length ? { details: d.details } : {}) });

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'Replay log files (sshd auth.log, nginx access logs, the panel\'s audit.log) through the detection rules.',
  usage: 'aether analyze <file...> [--rules DIR] [--format auto|syslog|nginx|audit] [--year YYYY] [--json] [--explain]',
  positionals: true,
  options: {
    rules: { type: 'string' },
    format: { type: 'string' },
    year: { type: 'string' },
    json: { type: 'boolean' },
    explain: { type: 'boolean' },
  },
  async run(ctx, v, files) {
    if (files.length === 0) throw new UsageError('Name at least one log file.');
    const format = (typeof v.format === 'string' ? v.format : 'auto') as LogFormat | 'auto';
    if (format !== 'auto' && !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be auto, ${FORMATS.join(', ')}.`);
    const year = typeof v.year === 'string' ? Number(v.year) : undefined;
    if (year !== undefined && !(Number.isInteger(year) && year >= 1970 && year <= 9999)) throw new UsageError('--year must be a year, e.g. 2026.');
    let rules;
    try {
      rules = loadRules(typeof v.rules === 'string' ? v.rules : SHIPPED_RULES);
    } catch (err) {
      if (err instanceof RuleLoadError) {
        ctx.io.err(`Bad rule: ${err.message}`);
        return EXIT.config;
      }
      throw err;
    }
    const json = v.json === true;
    const summary = await analyzeFiles(files, {
      rules,
      format,
      ...(year !== undefined ? { year } : {}),
      onDetection: (d) => ctx.io.out(json ? asJson(d) : `${new Date(d.ts).toISOString()}  ${d.severity.padEnd(8)}  ${d.rule}  ${d.key}${d.user ? `  user=${d.user}` : ''}  count=${d.count}`),
      ...(v.explain === true
        ? {
            onExplain: (x) =>
              ctx.io.err(
                `${x.file}:${x.line} [${x.parser}] ${x.malformed ? 'MALFORMED' : x.event ? `${x.event.event} ip=${x.event.ip ?? '-'} user=${x.event.user ?? '-'}${x.rules.length ? ` -> ${x.rules.join(', ')}` : ' -> no rule'}` : 'not a monitored line'}`,
              ),
          }
        : {}),
    });
    const perRule = Object.entries(summary.perRule)
      .map(([rule, n]) => `${rule}=${n}`)
      .join(' ');
    ctx.io.err(
      json
        ? JSON.stringify({ summary })
        : `${summary.linesRead} lines read, ${summary.linesMatched} matched, ${summary.malformed} malformed, ${summary.linesPerSecond} lines/s, ${summary.detections} detections (${perRule})`,
    );
    return EXIT.ok;
  },
};
