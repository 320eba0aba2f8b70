// Incident response from the host: the lockdown (the panel may be running; it sees every step within seconds), and
// maintenance mode on or off.
import { systemCaller } from '../auth/index.ts';
import type { PasswordReset } from '../incident/index.ts';
import { EXIT, UsageError, type Command } from './command.ts';

const cli = systemCaller('cli');

export const lockdownCommand: Command = {
  name: 'lockdown',
  summary: 'Revoke every OAuth2 token and client secret, end every session and SFTP session, require new passwords (--password-reset all|none|NAME,…), optionally --maintenance and --notify (e-mail the users affected).',
  usage: 'aether lockdown --yes [--maintenance] [--password-reset all|none|NAME,NAME] [--notify] [--config FILE]',
  options: { yes: { type: 'boolean' }, maintenance: { type: 'boolean' }, 'password-reset': { type: 'string' }, notify: { type: 'boolean' } },
  async run(ctx, v) {
    if (v.yes !== true) throw new UsageError('This signs everyone out and disables every API client: confirm with --yes.');
    const services = await ctx.services();
    const asked = typeof v['password-reset'] === 'string' ? v['password-reset'] : 'all';
    let passwordReset: PasswordReset;
    if (asked === 'all' || asked === 'none') passwordReset = asked;
    else {
      const ids: string[] = [];
      for (const name of asked.split(',').map((n) => n.trim()).filter(Boolean)) {
        const user = await services.users.findForLogin(name);
        if (!user) throw new UsageError(`No user ${name}.`);
        ids.push(user.id);
      }
      if (ids.length === 0) throw new UsageError('--password-reset takes all, none or user names separated by commas.');
      passwordReset = { users: ids };
    }
    const report = await services.lockdown.run(cli, { passwordReset, maintenance: v.maintenance === true, notifyUsers: v.notify === true }, null);
    ctx.io.out(`Lockdown done at ${report.at}:`);
    for (const step of report.steps) ctx.io.out(`  ${step.step.padEnd(11)} ${step.detail}`);
    ctx.io.out('Undo maintenance mode with: aether lockdown maintenance off');
    return EXIT.ok;
  },
};

export const maintenanceCommand: Command = {
  name: 'lockdown maintenance',
  summary: 'Turn maintenance mode on or off (while on, only administrators may sign in).',
  usage: 'aether lockdown maintenance on|off [--config FILE]',
  options: {},
  positionals: true,
  async run(ctx, _v, positionals) {
    const [state] = positionals;
    if ((state !== 'on' && state !== 'off') || positionals.length !== 1) throw new UsageError('Say on or off.');
    const { lockdown } = await ctx.services();
    await lockdown.setMaintenance(cli, state === 'on');
    ctx.io.out(`Maintenance mode is ${state}.`);
    return EXIT.ok;
  },
};
