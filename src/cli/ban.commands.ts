// Ban commands: list, add and lift IP bans from the host (the panel running sees a change within two seconds).
import { systemCaller } from '../auth/index.ts';
import { EXIT, UsageError, type Command } from './command.ts';

const cli = systemCaller('cli');

export const banListCommand: Command = {
  name: 'ban list',
  summary: 'List bans in force (--all: every ban, lifted and expired ones too).',
  usage: 'aether ban list [--all] [--config FILE]',
  options: { all: { type: 'boolean' } },
  async run(ctx, v) {
    const { bans } = await ctx.services();
    const list = await bans.list({ activeOnly: v.all !== true, limit: 200 });
    if (list.length === 0) ctx.io.out(v.all ? 'No bans.' : 'No bans in force.');
    for (const b of list) {
      ctx.io.out(`#${b.id}  ${b.ip}  ${b.active ? `until ${b.expiresAt ?? 'lifted'}` : `ended ${b.liftedAt ? `(lifted by ${b.liftedBy ?? '?'})` : ''}`}  ${b.hits} refused  ${b.rule ? `rule ${b.rule}` : `by ${b.createdBy ?? '?'}`}: ${b.reason}`);
    }
    return EXIT.ok;
  },
};

export const banAddCommand: Command = {
  name: 'ban add',
  summary: 'Ban an address (an IPv6 address bans its /64) for --minutes (default 60) or until lifted (--permanent).',
  usage: 'aether ban add --ip ADDRESS --reason TEXT [--minutes N | --permanent] [--config FILE]',
  options: { ip: { type: 'string' }, reason: { type: 'string' }, minutes: { type: 'string' }, permanent: { type: 'boolean' } },
  async run(ctx, v) {
    if (typeof v.ip !== 'string' || typeof v.reason !== 'string' || v.reason.trim() === '') throw new UsageError('--ip and --reason are required.');
    const minutes = typeof v.minutes === 'string' ? Number(v.minutes) : 60;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 525_600) throw new UsageError('--minutes must be a whole number from 1 to 525600.');
    const { bans } = await ctx.services();
    const res = await bans.ban(cli, { ip: v.ip, durationMs: v.permanent ? null : minutes * 60_000, reason: v.reason.trim(), guardAdminSessions: false });
    if (!res.banned) {
      ctx.io.err(res.reason === 'already_banned' ? `${v.ip} is already banned (#${res.ban?.id}).` : `${v.ip} is on the admin IP allowlist or monitor.neverBan: it is never banned.`);
      return EXIT.failure;
    }
    ctx.io.out(`Banned ${res.ban.ip} (#${res.ban.id}) until ${res.ban.expiresAt ?? 'lifted'}.`);
    return EXIT.ok;
  },
};

export const banRemoveCommand: Command = {
  name: 'ban remove',
  summary: 'Lift a ban by its number (see ban list) or by address.',
  usage: 'aether ban remove (--id N | --ip ADDRESS) [--config FILE]',
  options: { id: { type: 'string' }, ip: { type: 'string' } },
  async run(ctx, v) {
    if ((typeof v.id === 'string') === (typeof v.ip === 'string')) throw new UsageError('Give either --id or --ip.');
    const { bans } = await ctx.services();
    let id = Number(v.id);
    if (typeof v.ip === 'string') {
      const { addressKey } = await import('../shared/cidr.ts');
      const match = (await bans.list({ activeOnly: true, limit: 10_000 })).find((b) => b.ip === addressKey(v.ip as string));
      if (!match) {
        ctx.io.err(`No ban in force for ${v.ip}.`);
        return EXIT.failure;
      }
      id = match.id;
    }
    if (!Number.isInteger(id) || id < 1) throw new UsageError('--id must be a ban number.');
    const ban = await bans.lift(cli, id);
    ctx.io.out(`Lifted the ban of ${ban.ip} (#${ban.id}).`);
    return EXIT.ok;
  },
};
