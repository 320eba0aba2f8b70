// The shape of a CLI command and its exit codes.
import type { ParseArgsConfig } from 'node:util';
import type { CommandContext } from './context.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

export class UsageError extends Error {}

export type Command = {
  /** Words after `aether`, e.g. "user create". */
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** The command takes arguments besides its options (file names). */
  positionals?: true;
  run(ctx: CommandContext, values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number>;
};
