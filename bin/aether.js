#!/usr/bin/env node
// The `aether` command: runs the TypeScript CLI through tsx; `start` builds the web UI first when needed.
import { register } from 'tsx/esm/api';

if (process.argv[2] === 'start' || process.argv.length === 2) {
  const { ensureUi } = await import('../scripts/ui-build.js');
  ensureUi();
}
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), process.env);
