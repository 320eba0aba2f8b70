// Replicas sharing one Redis tell each other what changed through one Redis channel: a ban made or lifted, an alert
// raised or worked. A replica ignores its own messages (it acted on them already).
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export type ReplicaChannel = {
  publish(topic: string, payload: unknown): void;
  /** Calls `listener` with each message another replica publishes on `topic`. */
  subscribe(topic: string, listener: (payload: unknown) => void): void;
  stop(): void;
};

type Message = { from: string; topic: string; payload: unknown };

export function createReplicaChannel(deps: { redis: Redis; prefix: string; instance: string; logger: Logger }): ReplicaChannel {
  const channel = `${deps.prefix}replicas`;
  const listeners = new Map<string, Array<(payload: unknown) => void>>();
  // A subscribed connection takes no other command: it has its own.
  const listener = deps.redis.duplicate({ enableOfflineQueue: true });
  listener.on('error', () => undefined);
  listener.subscribe(channel).catch((err: unknown) => deps.logger.warn({ err: { message: (err as Error).message } }, 'changes made on other replicas are not heard at once'));
  listener.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (message.from === deps.instance) return;
    for (const l of listeners.get(message.topic) ?? []) {
      try {
        l(message.payload);
      } catch (err) {
        deps.logger.warn({ err, topic: message.topic }, 'a change from another replica could not be applied');
      }
    }
  });
  return {
    publish(topic, payload) {
      deps.redis.publish(channel, JSON.stringify({ from: deps.instance, topic, payload } satisfies Message)).catch(() => undefined);
    },
    subscribe(topic, l) {
      listeners.set(topic, [...(listeners.get(topic) ?? []), l]);
    },
    stop() {
      listener.disconnect();
    },
  };
}
