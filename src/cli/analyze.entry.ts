// `aether analyze` on its own: argument parsing and exit codes without the rest of the CLI, so it can run as plain
// JavaScript (bundled by scripts/analyzer-build.js) with nothing loaded but the monitor.
import { parseArgs } from 'node:util';
import { analyzeCommand } from './analyze.command.ts';
import { EXIT, UsageError } from './command.ts';
import type { CommandContext } from './context.ts';
import type { Io } from './io.ts';

export async function runAnalyze(argv: string[], io: Io): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: { ...analyzeCommand.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }));
  } catch (err) {
    io.err(`${(err as Error).message}\nUsage: ${analyzeCommand.usage}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.out(`${analyzeCommand.summary}\n\nUsage: ${analyzeCommand.usage}`);
    return EXIT.ok;
  }
  try {
    // analyze needs no configuration, database or services: only the output.
    return await analyzeCommand.run({ io } as CommandContext, values, positionals);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\nUsage: ${analyzeCommand.usage}`);
      return EXIT.usage;
    }
    io.err(`Failed: ${(err as Error).message}`);
    return EXIT.failure;
  }
}
