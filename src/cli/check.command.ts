// `aether check`: the security checklist on this host and panel, as a table or as JSON, with an exit code for scripts
// (1 when an item fails; with --strict also when one warns).
import { createHostProbe, runChecklist, type ChecklistReport, type CheckStatus } from '../check/index.ts';
import { VERSION } from '../version.ts';
import { EXIT, type Command } from './command.ts';

const LABEL: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };
const WIDTH = 100;

/** Words wrapped to lines of at most `width` characters (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function formatTable(report: ChecklistReport): string[] {
  const indent = ' '.repeat(8);
  const out = [`Security checklist: Aether Panel ${report.version}, ${report.checkedAt.slice(0, 19).replace('T', ' ')} UTC`, ''];
  out.push('STATUS  ITEM');
  for (const item of report.items) {
    out.push(`${LABEL[item.status].padEnd(6)}  ${item.title} [${item.id}]`);
    for (const l of wrap(item.reason, WIDTH - indent.length)) out.push(`${indent}${l}`);
    if (item.fix) wrap(`Fix: ${item.fix}`, WIDTH - indent.length).forEach((l, i) => out.push(`${indent}${i ? '     ' : ''}${l}`));
  }
  const { pass, warn, fail } = report.summary;
  out.push('', `${pass} passed, ${warn} warning(s), ${fail} failed.`);
  return out;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check this host and panel against the security checklist (exit 1 when an item fails; --strict: or warns; --json for scripts).',
  usage: 'aether check [--json] [--strict] [--config FILE]',
  options: { json: { type: 'boolean' }, strict: { type: 'boolean' } },
  async run(ctx, v) {
    const config = ctx.config();
    const db = await ctx.db();
    const probe = createHostProbe({ commandTimeoutMs: config.checklist.commandTimeoutSeconds * 1000, networkTimeoutMs: config.checklist.networkTimeoutSeconds * 1000 });
    const report = await runChecklist({
      config,
      db,
      probe,
      now: Date.now(),
      version: VERSION,
      runtime: { kind: 'cli' },
      // The passphrase is read from the environment of whoever runs the panel; this command sees its own.
      backupEncryption: config.backup.recipients.length ? 'recipients' : ctx.env.AETHER_BACKUP_PASSPHRASE ? 'passphrase' : null,
    });
    if (v.json === true) ctx.io.out(JSON.stringify(report, null, 2));
    else for (const line of formatTable(report)) ctx.io.out(line);
    if (report.summary.fail > 0 || (v.strict === true && report.summary.warn > 0)) return EXIT.failure;
    return EXIT.ok;
  },
};
