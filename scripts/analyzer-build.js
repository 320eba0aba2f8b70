// Bundles `aether analyze` into dist/analyze.mjs (plain JavaScript, packages left external) when it is missing or
// older than its sources, so replaying a large log runs without the TypeScript loader in memory.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const ANALYZER = join(root, 'dist', 'analyze.mjs');
const sources = [join(root, 'src', 'monitor'), join(root, 'src', 'cli'), join(root, 'src', 'shared')];

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the bundle if needed; returns false when it cannot (no esbuild), and the caller falls back to the TypeScript loader. */
export async function ensureAnalyzer() {
  if (existsSync(ANALYZER) && statSync(ANALYZER).mtimeMs >= Math.max(...sources.map(newest))) return true;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return false;
  }
  esbuild.buildSync({
    entryPoints: [join(root, 'src', 'cli', 'analyze.entry.ts')],
    outfile: ANALYZER,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return true;
}
