// The console WebSocket as a client opens it: a ticket or a bearer token, an Origin, the session cookie.
import WebSocket from 'ws';
import type { TestPanel } from './panel.ts';

export type Frame = { type: string; [k: string]: unknown };

/** Opens a console socket; resolves with it and the frames it receives, or rejects with the status of a refused handshake. */
export function openConsole(panel: TestPanel, serverId: string, opts: { ticket?: string; origin?: string; bearer?: string; cookie?: string }): Promise<{ ws: WebSocket; frames: Frame[]; closed: Promise<number> }> {
  const url = `${panel.url.replace('http', 'ws')}/api/v1/servers/${serverId}/console${opts.ticket ? `?ticket=${encodeURIComponent(opts.ticket)}` : ''}`;
  const headers: Record<string, string> = {};
  if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  // A browser sends its session cookie with the handshake, as with any same-site request.
  if (opts.cookie) headers.Cookie = opts.cookie;
  const ws = new WebSocket(url, { headers, ...(opts.origin ? { origin: opts.origin } : {}) });
  const frames: Frame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, frames, closed }));
    ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.on('error', (err) => reject(err));
  });
}
