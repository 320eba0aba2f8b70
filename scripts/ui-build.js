// Builds the web UI into dist/ui when it is missing or older than its sources (used by npm start and npm test).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src', 'ui');
const out = join(root, 'dist', 'ui', 'index.html');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function uiIsFresh() {
  return existsSync(out) && statSync(out).mtimeMs >= newest(src);
}

export function ensureUi({ force = false } = {}) {
  if (!force && uiIsFresh()) return;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    if (existsSync(out)) return; // a production install without dev tools keeps the UI it shipped with
    console.error('The web UI is not built and vite is not installed: run `npm ci` first.');
    process.exit(1);
  }
  const res = spawnSync(process.execPath, [vite, 'build', '--config', join(src, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error('Building the web UI failed.');
    process.exit(res.status ?? 1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureUi({ force: process.argv.includes('--force') });
