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

/**
 * Runs analyze in a child Node with a small young generation: the stream of short-lived line strings is then collected
 * often, and memory stays flat (about 95 MB for 1M or 4M lines) instead of growing with the heap's lazy sizing.
 */
async function analyzeInChild() {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--max-semi-space-size=4', '--max-old-space-size=128', ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, AETHER_ANALYZE_CHILD: '1' },
  });
  process.exitCode = await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

if (process.argv[2] === 'analyze' && !process.env.AETHER_ANALYZE_CHILD) {
  const { ensureAnalyzer } = await import('../scripts/analyzer-build.js');
  // Built here, once, so the child only runs it; without esbuild the TypeScript CLI below runs analyze itself.
  if (await ensureAnalyzer()) await analyzeInChild();
  else await runCli();
} else if (!(process.argv[2] === 'analyze' && (await analyzeBundled()))) {
  await runCli();
}

async function runCli() {
  if (process.argv[2] === 'start' || process.argv.length === 2) {
    const { ensureUi } = await import('../scripts/ui-build.js');
    ensureUi();
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2), process.env);
}
