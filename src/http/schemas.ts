// zod schemas shared by route declarations: ids, pagination, the user and error shapes of the API.
import { z } from 'zod';
import { badRequest } from '../shared/errors.ts';

export const idParam = z.strictObject({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'must be an id') });

export const limitQuery = z.coerce.number().int().min(1).max(200).default(50).describe('Page size (1-200).');
export const cursorQuery = z.string().max(200).optional().describe('Opaque cursor from the previous page\'s nextCursor.');

export const encodeCursor = (value: string | number): string => Buffer.from(JSON.stringify({ v: value })).toString('base64url');

export function decodeCursor<T extends string | number>(cursor: string | undefined, type: 'string' | 'number'): T | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown };
    if (typeof parsed.v === type) return parsed.v as T;
  } catch {
    // fall through
  }
  throw badRequest('invalid_cursor', 'The pagination cursor is not valid.');
}

export const username = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may contain letters, digits, dot, dash and underscore, and must start with a letter or digit');
export const email = z.email().max(254);
export const password = z.string().min(1).max(1024);

export const roleAssignment = z.strictObject({
  roleId: z.string().min(1).max(64),
  serverId: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/).nullable().default(null),
});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
  lastLoginIp: z.string().nullable(),
  twoFactorEnabled: z.boolean(),
  passwordChangeRequired: z.boolean().describe('The user must choose a new password before anything else (after a lockdown).'),
  roles: z.array(z.object({ roleId: z.string(), roleName: z.string(), serverId: z.string().nullable() })),
  scopes: z.array(z.string()),
});

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
