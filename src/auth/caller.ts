// Who is asking: the actor behind a request or command, with the address and user agent the audit trail records.
import type { AuditActor } from '../audit/index.ts';
import type { Actor } from './permissions.ts';

export type Caller = {
  actor: Actor | null;
  ip: string | null;
  userAgent: string | null;
  /** Name of the system component acting when there is no actor (cli, setup, ...). */
  system?: string;
};

export const systemCaller = (name: string): Caller => ({ actor: null, ip: null, userAgent: null, system: name });

export function auditActor(caller: Caller): AuditActor {
  if (caller.actor) return { type: caller.actor.type, id: caller.actor.id, name: caller.actor.name };
  return { type: 'system', id: null, name: caller.system ?? 'system' };
}

/** The fields of an audit event that come from the caller. */
export const auditFrom = (caller: Caller) => ({ actor: auditActor(caller), ip: caller.ip, userAgent: caller.userAgent });
