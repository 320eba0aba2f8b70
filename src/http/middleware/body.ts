// Reads a JSON request body with a size limit: 413 when too large, 415 when not JSON, 400 when malformed.
import { AppError, badRequest } from '../../shared/errors.ts';
import type { AppContext } from '../context.ts';

const tooLarge = (limit: number) => new AppError(413, 'body_too_large', `Request body is larger than ${limit} bytes.`);

export async function readJsonBody(ctx: AppContext, limit: number): Promise<unknown> {
  const length = ctx.get('Content-Length');
  if (length && Number(length) > limit) {
    ctx.req.resume(); // drain without buffering, so the connection can answer
    throw tooLarge(limit);
  }
  const type = ctx.get('Content-Type');
  const hasBody = Boolean(length && Number(length) > 0) || Boolean(ctx.get('Transfer-Encoding'));
  if (!hasBody) return undefined;
  if (!ctx.is('application/json')) {
    ctx.req.resume();
    throw new AppError(415, 'unsupported_media_type', `Expected Content-Type application/json, got ${type ? JSON.stringify(type.slice(0, 100)) : 'none'}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early must not destroy the request, or the connection hangs instead of draining; so the
  // remaining body is drained only after the loop has let go of the stream.
  for await (const chunk of ctx.req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > limit) break;
    chunks.push(chunk as Buffer);
  }
  if (size > limit) {
    ctx.req.resume();
    throw tooLarge(limit);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('invalid_json', 'Request body is not valid JSON.');
  }
}
