// Runs every test file under test/ with node's test runner (through tsx), after building the web UI the browser tests
// use, the bundled analyzer the aether binary runs and the container test image (once, before test files start).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAnalyzer } from './analyzer-build.js';
import { ensureTestImage } from './test-image.js';
import { ensureUi } from './ui-build.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** The repository's own files a file imports (relative specifiers), statically or dynamically. */
function importsOf(file) {
  // Type-only imports run nothing.
  const text = readFileSync(file, 'utf8').replace(/\bimport\s+type\s[^;]*?from\s*['"][^'"]+['"]/g, '');
  const found = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), m[1]);
    if (existsSync(target)) found.push(target);
  }
  return found;
}

/** Whether a test file reaches the helper that puts test panels on AETHER_TEST_DATABASE's server (through any import). */
const DATABASE_HELPER = join(root, 'test/helpers/databases.ts');
function usesSuiteDatabase(file) {
  const seen = new Set();
  const stack = [join(root, file)];
  while (stack.length > 0) {
    const f = stack.pop();
    if (f === DATABASE_HELPER) return true;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...importsOf(f));
  }
  return false;
}

const listOnly = process.argv.includes('--list');
const filters = process.argv.slice(2).filter((a) => a !== '--list');
const engine = process.env.AETHER_TEST_DATABASE;
const all = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
// On MariaDB or PostgreSQL, the files that never reach a test panel's database would run exactly as on SQLite: they
// run in the SQLite pass only.
const files = engine && engine !== 'sqlite' ? all.filter(usesSuiteDatabase) : all;
if (files.length < all.length) console.log(`On ${engine}: ${files.length} of ${all.length} test files (the others open no database and ran on SQLite).`);
if (listOnly) {
  for (const f of files) console.log(f);
  process.exit(0);
}
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
ensureUi();
await ensureAnalyzer();
console.log(`Container test image: ${ensureTestImage()}`);
// A test (or a test file) stuck for five minutes fails. No --test-force-exit: with several files at once it can drop the last verdicts
// of a file and still exit 0 (nodejs/node#64833), so a failure could go unseen. Test files close what they open; one
// that hangs stops the whole run after RUN_LIMIT_MS with a clear message instead.
const RUN_LIMIT_MS = 30 * 60_000;

/** Runs these files, `concurrency` at a time; true when every test passed. */
function runFiles(group, concurrency) {
  if (group.length === 0) return true;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', '--test-reporter=spec', ...group], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'test' },
    timeout: RUN_LIMIT_MS,
    killSignal: 'SIGKILL',
  });
  if (res.error?.code === 'ETIMEDOUT') {
    console.error(`The test run did not end within ${RUN_LIMIT_MS / 60_000} minutes: a test file keeps a handle open (a server, a timer) or a test hangs.`);
    return false;
  }
  return res.status === 0;
}

// Test files wait on containers, browsers, mail and database servers more than they compute: several run at once.
// The tests that drive Chromium run after the others: Chromium drops its requests (net::ERR_NETWORK_CHANGED) when a
// network interface comes or goes, as the Docker tests' networks do. Those that need no Docker run two at a time, those
// that do (and make networks themselves) one at a time, last.
const concurrency = Number(process.env.AETHER_TEST_CONCURRENCY) || 3;
const textOf = (f) => readFileSync(join(root, f), 'utf8');
const usesBrowser = (f) => /helpers\/(browser|chromium)|playwright-core/.test(textOf(f));
const usesDocker = (f) => f.endsWith('.docker.test.ts') || /helpers\/docker|needsDocker/.test(textOf(f));
const browser = files.filter(usesBrowser);
const others = files.filter((f) => !usesBrowser(f));
const othersPassed = runFiles(others, concurrency);
const browserOnly = browser.filter((f) => !usesDocker(f));
const browserDocker = browser.filter(usesDocker);
if (browserOnly.length > 0) console.log(`\nTests in Chromium, two files at a time (${browserOnly.length} files)`);
const browserPassed = runFiles(browserOnly, 2);
if (browserDocker.length > 0) console.log(`\nTests in Chromium with Docker, one file at a time (${browserDocker.length} files)`);
const browserDockerPassed = runFiles(browserDocker, 1);
process.exit(othersPassed && browserPassed && browserDockerPassed ? 0 : 1);
