// Validates request input against a route's zod schemas: 400 validation_failed naming each bad field.
import type { z } from 'zod';
import { badRequest } from '../shared/errors.ts';

export function parseInput<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query' | 'params'): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    code: i.code,
    message: i.code === 'unrecognized_keys' ? `Unknown field(s): ${i.keys.map((k) => JSON.stringify(k)).join(', ')}` : i.message,
  }));
  const first = issues[0];
  throw badRequest('validation_failed', first ? `Invalid ${first.path}: ${first.message}` : `Invalid ${where}.`, { issues });
}
