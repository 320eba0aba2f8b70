// Replicas sharing one Redis: a ban made or lifted on one replica is announced on a Redis channel, and every replica
// re-reads its ban list from the database at once (without Redis they re-read it every two seconds).
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.ts';

export type BanSync = { announce(): void; stop(): void };

export function createBanSync(deps: { redis: Redis; prefix: string; reload: () => Promise<void>; logger: Logger }): BanSync {
  const channel = `${deps.prefix}bans:changed`;
  // A subscribed connection takes no other command: it has its own.
  const listener = deps.redis.duplicate({ enableOfflineQueue: true });
  listener.on('error', () => undefined);
  listener.subscribe(channel).catch((err: unknown) => deps.logger.warn({ err: { message: (err as Error).message } }, 'ban announcements from other replicas are not heard'));
  listener.on('message', (from: string) => {
    if (from === channel) deps.reload().catch((err: unknown) => deps.logger.warn({ err }, 'reloading bans failed'));
  });
  return {
    announce() {
      deps.redis.publish(channel, '1').catch(() => undefined);
    },
    stop() {
      listener.disconnect();
    },
  };
}
