#!/usr/bin/env node
// The `aether` command: runs the TypeScript CLI through tsx; `start` builds the web UI first when needed, and `analyze`
// runs as bundled JavaScript, with no TypeScript loader in memory while a large log streams through.

async function analyzeBundled() {
  process.stdout.on('error', (err) => {
    // The reader went away (| head): stop quietly, as other command-line tools do.
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const { ensureAnalyzer, ANALYZER } = await import('../scripts/analyzer-build.js');
  if (!(await ensureAnalyzer())) return false;
  const { runAnalyze } = await import(ANALYZER);
  const io = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
  process.exitCode = await runAnalyze(process.argv.slice(3), io);
  return true;
}

if (!(process.argv[2] === 'analyze' && (await analyzeBundled()))) {
  if (process.argv[2] === 'start' || process.argv.length === 2) {
    const { ensureUi } = await import('../scripts/ui-build.js');
    ensureUi();
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2), process.env);
}
