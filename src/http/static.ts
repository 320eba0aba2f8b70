// Serves the built web UI from dist/ui, with index.html for client-side routes; never a path outside that folder.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AppMiddleware } from './context.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = '<!doctype html><title>Aether Panel</title><p>The web UI has not been built. Run <code>npm run build:ui</code> (npm start does it for you).</p>';

export const serveUi = (root: string): AppMiddleware => async (ctx, next) => {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
  let rel: string;
  try {
    rel = decodeURIComponent(ctx.path);
  } catch {
    return next();
  }
  // SECURITY: resolve inside the UI folder only; NUL bytes, .. and absolute paths fall back to index.html.
  const candidate = normalize(join(root, rel));
  const inside = candidate.startsWith(root + sep) && !rel.includes('\0');
  let file = inside && existsSync(candidate) && statSync(candidate).isFile() ? candidate : join(root, 'index.html');
  if (!existsSync(file)) {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = NOT_BUILT;
    return;
  }
  const isAsset = file.startsWith(join(root, 'assets') + sep);
  if (extname(rel) !== '' && file.endsWith('index.html') && rel !== '/index.html') {
    // A missing file with an extension is a 404, not the app shell.
    return next();
  }
  file = normalize(file);
  ctx.set('Cache-Control', isAsset ? 'public, max-age=31536000, immutable' : 'no-store');
  ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
  ctx.length = statSync(file).size;
  ctx.body = ctx.method === 'HEAD' ? null : createReadStream(file);
};
