// Turns the ban form into the request body, with a message that says what to fix when something is off.
import type { NewBanInput } from '../../api/types.ts';

export const DEFAULT_BAN_MINUTES = 60;
/** One year, the longest timed ban the API accepts. */
export const MAX_BAN_MINUTES = 525_600;
export const MAX_REASON_LENGTH = 300;

export type BanDraft = {
  ip: string;
  /** Whole minutes as typed; empty bans until the ban is lifted. */
  minutes: string;
  reason: string;
};

export function buildBanInput(draft: BanDraft): { input: NewBanInput } | { error: string } {
  const ip = draft.ip.trim();
  const reason = draft.reason.trim();
  if (!ip) return { error: 'Enter the IP address to ban.' };
  if (!reason) return { error: 'Say why the address is banned; the reason is shown in the list of bans.' };
  if (reason.length > MAX_REASON_LENGTH) return { error: `The reason can be at most ${MAX_REASON_LENGTH} characters.` };
  const text = draft.minutes.trim();
  if (text === '') return { input: { ip, durationMinutes: null, reason } };
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_BAN_MINUTES) {
    return { error: `Duration must be a whole number of minutes from 1 to ${MAX_BAN_MINUTES} (one year), or empty to ban until lifted.` };
  }
  return { input: { ip, durationMinutes: minutes, reason } };
}
