// The in-process event bus: every recorded audit event is published here for the security monitor and live views.
import { EventEmitter } from 'node:events';
import type { AuditEvent } from './audit.types.ts';

export type EventBus = {
  publish(event: AuditEvent): void;
  subscribe(listener: (event: AuditEvent) => void): () => void;
};

export function createEventBus(onListenerError: (err: unknown) => void = () => {}): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    publish(event) {
      for (const listener of emitter.listeners('event')) {
        // A failing subscriber must never break the request that produced the event.
        try {
          (listener as (e: AuditEvent) => void)(event);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    subscribe(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
  };
}
