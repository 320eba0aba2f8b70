// The `aether` command line: finds the command, parses its options, runs it and maps failures to exit codes.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import { AppError } from '../shared/errors.ts';
import { allowlistClearCommand, auditVerifyCommand, configCheckCommand, migrateCommand } from './admin.commands.ts';
import { EXIT, UsageError, type Command } from './command.ts';
import { createCommandContext, type Env } from './context.ts';
import { consoleIo, type Io } from './io.ts';
import { analyzeCommand } from './analyze.command.ts';
import { dbMigrateToCommand } from './db.commands.ts';
import { checkCommand } from './check.command.ts';
import { banAddCommand, banListCommand, banRemoveCommand } from './ban.commands.ts';
import { lockdownCommand, maintenanceCommand } from './lockdown.commands.ts';
import { backupCreateCommand, backupKeygenCommand, backupListCommand, backupVerifyCommand, restoreCommand } from './backup.commands.ts';
import { startCommand } from './start.command.ts';
import { userCreateCommand, userDisableCommand, userReset2faCommand, userResetPasswordCommand } from './user.commands.ts';

export const COMMANDS: readonly Command[] = [
  startCommand,
  migrateCommand,
  dbMigrateToCommand,
  userCreateCommand,
  userResetPasswordCommand,
  userReset2faCommand,
  userDisableCommand,
  auditVerifyCommand,
  configCheckCommand,
  allowlistClearCommand,
  analyzeCommand,
  banListCommand,
  banAddCommand,
  banRemoveCommand,
  backupCreateCommand,
  backupListCommand,
  backupVerifyCommand,
  backupKeygenCommand,
  restoreCommand,
  lockdownCommand,
  maintenanceCommand,
  checkCommand,
];

const COMMON = { config: { type: 'string' as const }, help: { type: 'boolean' as const, short: 'h' } };

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: aether <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command accepts --config FILE (default: $AETHER_CONFIG or ./config.json) and --help.',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const words = argv.filter((a) => !a.startsWith('-'));
  for (const len of [2, 1]) {
    const name = words.slice(0, len).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command) {
      let removed = 0;
      const rest = argv.filter((a) => (removed < len && a === words[removed] ? (removed += 1, false) : true));
      return { command, rest };
    }
  }
  return null;
}

export async function main(argv: string[], env: Env, io: Io = consoleIo): Promise<number> {
  if (argv.length === 0) argv = ['start'];
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview());
    return EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`Unknown command: ${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ') || argv.join(' ')}\n\n${overview()}`);
    return EXIT.usage;
  }
  const { command, rest } = found;
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: command.positionals === true, strict: true }));
  } catch (err) {
    io.err(`${(err as Error).message}\nUsage: ${command.usage}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return EXIT.ok;
  }
  const ctx = createCommandContext(io, env, typeof values.config === 'string' ? values.config : undefined);
  try {
    return await command.run(ctx, values, positionals);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message);
      return EXIT.config;
    }
    if (err instanceof UsageError) {
      io.err(`${err.message}\nUsage: ${command.usage}`);
      return EXIT.usage;
    }
    if (err instanceof AppError && err.expose) {
      io.err(`${err.message}`);
      return EXIT.failure;
    }
    io.err(`Failed: ${(err as Error).message}`);
    return EXIT.failure;
  } finally {
    await ctx.close();
  }
}
