// Runs every test file under test/ with node's test runner (through tsx), after building the web UI the browser tests
// use and the bundled analyzer the aether binary runs (once, before test files start in parallel).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAnalyzer } from './analyzer-build.js';
import { ensureUi } from './ui-build.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
ensureUi();
await ensureAnalyzer();
// A test file that leaves a handle open must not hang the run; a test stuck for two minutes fails.
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-timeout=120000', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(res.status ?? 1);
