// User commands: create, reset-password, reset-2fa, disable.
import { systemCaller } from '../auth/index.ts';
import { EXIT, UsageError, type Command } from './command.ts';
import { readPassword } from './io.ts';
import type { CommandContext } from './context.ts';

const cli = systemCaller('cli');

async function findUser(ctx: CommandContext, login: string) {
  const services = await ctx.services();
  const row = await services.users.findForLogin(login);
  if (!row) throw new UsageError(`No user "${login}".`);
  return { services, row };
}

export const userCreateCommand: Command = {
  name: 'user create',
  summary: 'Create a user. The password comes from AETHER_PASSWORD, a hidden prompt, or the first line of stdin.',
  usage: 'aether user create --username U --email E [--admin] [--role ROLE]... [--config FILE]',
  options: {
    username: { type: 'string' },
    email: { type: 'string' },
    admin: { type: 'boolean' },
    role: { type: 'string', multiple: true },
  },
  async run(ctx, v) {
    if (typeof v.username !== 'string' || typeof v.email !== 'string') throw new UsageError('--username and --email are required.');
    const services = await ctx.services();
    const roleNames = [...(Array.isArray(v.role) ? v.role : []), ...(v.admin ? ['admin'] : [])];
    const roles = [];
    for (const name of new Set(roleNames)) {
      const role = await services.roles.getByName(name).catch(() => null);
      if (!role) throw new UsageError(`No role "${name}". Roles: ${(await services.roles.list()).map((r) => r.name).join(', ')}.`);
      roles.push({ roleId: role.id, serverId: null });
    }
    const password = await readPassword(ctx.env);
    const user = await services.users.create(cli, { username: v.username, email: v.email, password, roles });
    ctx.io.out(`Created user ${user.username} (${user.id})${roleNames.length ? ` with role(s) ${[...new Set(roleNames)].join(', ')}` : ''}.`);
    return EXIT.ok;
  },
};

export const userResetPasswordCommand: Command = {
  name: 'user reset-password',
  summary: 'Set a new password for a user and end all of their sessions.',
  usage: 'aether user reset-password --username U [--config FILE]',
  options: { username: { type: 'string' } },
  async run(ctx, v) {
    if (typeof v.username !== 'string') throw new UsageError('--username is required.');
    const { services, row } = await findUser(ctx, v.username);
    const password = await readPassword(ctx.env);
    await services.users.setPassword(cli, row.id, password, { type: 'user.password_reset' });
    ctx.io.out(`Password of ${row.username} reset; their sessions were ended.`);
    return EXIT.ok;
  },
};

export const userReset2faCommand: Command = {
  name: 'user reset-2fa',
  summary: 'Turn off two-factor authentication of a user who lost the device and the recovery codes, and end their sessions.',
  usage: 'aether user reset-2fa --username U [--config FILE]',
  options: { username: { type: 'string' } },
  async run(ctx, v) {
    if (typeof v.username !== 'string') throw new UsageError('--username is required.');
    const { services, row } = await findUser(ctx, v.username);
    if (!(await services.twoFactor.isEnabled(row.id))) {
      ctx.io.err(`${row.username} does not use two-factor authentication; nothing to do.`);
      return EXIT.failure;
    }
    const sessionsEnded = await services.sessions.revokeAllForUser(row.id);
    await services.twoFactor.remove(cli, { id: row.id, username: row.username }, 'auth.2fa.reset_by_admin', { sessionsEnded });
    ctx.io.out(`Two-factor authentication of ${row.username} turned off; their sessions were ended. If the 2FA policy covers them, they set it up again at their next sign-in.`);
    return EXIT.ok;
  },
};

export const userDisableCommand: Command = {
  name: 'user disable',
  summary: 'Disable a user and end all of their sessions.',
  usage: 'aether user disable --username U [--config FILE]',
  options: { username: { type: 'string' } },
  async run(ctx, v) {
    if (typeof v.username !== 'string') throw new UsageError('--username is required.');
    const { services, row } = await findUser(ctx, v.username);
    await services.users.update(cli, row.id, { disabled: true });
    ctx.io.out(`User ${row.username} disabled; their sessions were ended.`);
    return EXIT.ok;
  },
};
