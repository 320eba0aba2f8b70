// SFTP credentials: my SSH public keys and SFTP app passwords (made from my browser session, with my password), and
// an administrator's view of anyone's, to review and remove.
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../route.ts';
import { idParam, password } from '../schemas.ts';
import type { Services } from '../services.ts';
import { checkCurrentPassword, sessionUser } from './proof.helpers.ts';

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  bits: z.number(),
  fingerprint: z.string().describe('SHA256:… as ssh-keygen -l prints it.'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
const appPasswordSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
const name = z.string().trim().max(100);
const itemParams = z.strictObject({ id: idParam.shape.id, itemId: idParam.shape.id });

export const sftpCredentialsRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/sftp',
    summary: 'Where to connect with SFTP: whether it is on, its port, and the host key\'s fingerprint to check on the first connection.',
    tag: 'account',
    access: { authenticated: true },
    responses: {
      200: {
        description: 'The SFTP endpoint',
        schema: z.object({
          enabled: z.boolean(),
          port: z.number().nullable(),
          host: z.string().nullable().describe('The host name of http.publicUrl, when set.'),
          hostKeyFingerprint: z.string().nullable(),
        }),
      },
    },
    handler: async (ctx) => {
      const { enabled, host, port, hostKeyFingerprint } = s.sftpEndpoint;
      ctx.body = { enabled, host, port, hostKeyFingerprint };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/users/me/ssh-keys',
    summary: 'My SSH public keys for SFTP.',
    tag: 'account',
    access: { authenticated: true },
    responses: { 200: { description: 'Keys', schema: z.object({ items: z.array(keySchema) }) } },
    handler: async (ctx) => {
      ctx.body = { items: await s.sftpCredentials.listKeys(ctx.state.actor!.id) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/users/me/ssh-keys',
    summary: 'Add an SSH public key for SFTP (ed25519, ECDSA, or RSA of at least 3072 bits), from my browser session, with my password.',
    tag: 'account',
    access: { authenticated: true },
    body: z.strictObject({ name: name.default(''), publicKey: z.string().min(1).max(16_384), currentPassword: password }),
    responses: {
      201: { description: 'Added', schema: z.object({ key: keySchema }) },
      400: { description: 'invalid_public_key, invalid_password' },
      409: { description: 'key_exists, too_many_keys' },
    },
    handler: async (ctx, { body }) => {
      const me = sessionUser(ctx);
      await checkCurrentPassword(ctx, s, me.id, body.currentPassword, 'sftp.key_add_failed');
      ctx.status = 201;
      ctx.body = { key: await s.sftpCredentials.addKey(ctx.state.caller, me.id, { name: body.name, publicKey: body.publicKey }) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/users/me/ssh-keys/:id',
    summary: 'Remove one of my SSH keys; SFTP sessions opened with it end.',
    tag: 'account',
    access: { authenticated: true },
    params: idParam,
    responses: { 204: { description: 'Removed' }, 404: { description: 'No such key of mine' } },
    handler: async (ctx, { params }) => {
      await s.sftpCredentials.removeKey(ctx.state.caller, ctx.state.actor!.id, params.id);
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/users/me/sftp-passwords',
    summary: 'My SFTP app passwords (their names and use; the passwords themselves are never shown again).',
    tag: 'account',
    access: { authenticated: true },
    responses: { 200: { description: 'App passwords', schema: z.object({ items: z.array(appPasswordSchema) }) } },
    handler: async (ctx) => {
      ctx.body = { items: await s.sftpCredentials.listAppPasswords(ctx.state.actor!.id) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/users/me/sftp-passwords',
    summary:
      'Make an SFTP app password (for accounts with two-factor authentication, whose account password SFTP refuses), from my browser session, with my password. It is shown in this answer only.',
    tag: 'account',
    access: { authenticated: true },
    body: z.strictObject({ name: name.min(1), currentPassword: password }),
    responses: {
      201: { description: 'Made', schema: z.object({ appPassword: appPasswordSchema, password: z.string().describe('Shown once.') }) },
      400: { description: 'invalid_password' },
      409: { description: 'too_many_app_passwords' },
    },
    handler: async (ctx, { body }) => {
      const me = sessionUser(ctx);
      await checkCurrentPassword(ctx, s, me.id, body.currentPassword, 'sftp.app_password_failed');
      ctx.status = 201;
      ctx.body = await s.sftpCredentials.createAppPassword(ctx.state.caller, me.id, body.name);
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/users/me/sftp-passwords/:id',
    summary: 'Revoke one of my SFTP app passwords; SFTP sessions opened with it end.',
    tag: 'account',
    access: { authenticated: true },
    params: idParam,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such app password of mine' } },
    handler: async (ctx, { params }) => {
      await s.sftpCredentials.revokeAppPassword(ctx.state.caller, ctx.state.actor!.id, params.id);
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/users/:id/sftp-credentials',
    summary: 'A user\'s SSH keys and SFTP app passwords (names, fingerprints, use), for review.',
    tag: 'users',
    access: { scope: 'users.view' },
    params: idParam,
    responses: { 200: { description: 'Credentials', schema: z.object({ keys: z.array(keySchema), appPasswords: z.array(appPasswordSchema) }) }, 404: { description: 'No such user' } },
    handler: async (ctx, { params }) => {
      await s.users.row(params.id);
      ctx.body = { keys: await s.sftpCredentials.listKeys(params.id), appPasswords: await s.sftpCredentials.listAppPasswords(params.id) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/users/:id/ssh-keys/:itemId',
    summary: 'Remove a user\'s SSH key; SFTP sessions opened with it end.',
    tag: 'users',
    access: { scope: 'users.edit' },
    params: itemParams,
    responses: { 204: { description: 'Removed' }, 404: { description: 'No such key of this user' } },
    handler: async (ctx, { params }) => {
      await s.sftpCredentials.removeKey(ctx.state.caller, params.id, params.itemId);
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/users/:id/sftp-passwords/:itemId',
    summary: 'Revoke a user\'s SFTP app password; SFTP sessions opened with it end.',
    tag: 'users',
    access: { scope: 'users.edit' },
    params: itemParams,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such app password of this user' } },
    handler: async (ctx, { params }) => {
      await s.sftpCredentials.revokeAppPassword(ctx.state.caller, params.id, params.itemId);
      ctx.status = 204;
    },
  }),
];
