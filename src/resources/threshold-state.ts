// The state machine of one rule for one target (ok, pending, firing), advanced by each reading on the readings' own clock.

export type Phase = 'ok' | 'pending' | 'firing';

export type Point = { ts: number; value: number };

export type TargetState = {
  phase: Phase;
  /** ok: since when; pending: the first reading above; firing: when it fired. */
  since: number;
  /** Pending and firing: the first reading above the level and the highest since, as evidence. */
  first: Point | null;
  peak: Point | null;
  /** Firing: the first reading of the current run below clear_below. */
  belowSince: number | null;
  last: Point;
};

export type Limits = { above: number; forMs: number; clearBelow: number; clearForMs: number; maxGapMs: number };

export type Step = { state: TargetState; event: 'fire' | 'resolve' | null };

export function initialState(p: Point): TargetState {
  return { phase: 'ok', since: p.ts, first: null, peak: null, belowSince: null, last: p };
}

/**
 * One reading: ok -> pending (above `above`) -> firing (above for `for`, event fire) -> ok (below `clear_below` for
 * `clear_for`, event resolve); a firing value between the two levels stays firing (hysteresis). A gap longer than
 * maxGapMs since the previous reading breaks a run: pending starts over, and so does the count towards clearing (an
 * alert is never fired or cleared on readings that were not taken).
 */
export function advance(prev: TargetState | undefined, p: Point, lim: Limits): Step {
  const gap = prev !== undefined && p.ts - prev.last.ts > lim.maxGapMs;
  const s = prev ?? initialState(p);
  if (s.phase === 'firing') {
    const peak = s.peak && s.peak.value >= p.value ? s.peak : p;
    if (p.value >= lim.clearBelow) return { state: { ...s, peak, belowSince: null, last: p }, event: null };
    const belowSince = s.belowSince !== null && !gap ? s.belowSince : p.ts;
    if (p.ts - belowSince >= lim.clearForMs) return { state: { phase: 'ok', since: p.ts, first: null, peak: null, belowSince: null, last: p }, event: 'resolve' };
    return { state: { ...s, peak, belowSince, last: p }, event: null };
  }
  if (p.value > lim.above) {
    const run = s.phase === 'pending' && !gap;
    const first = run && s.first ? s.first : p;
    const peak = run && s.peak && s.peak.value >= p.value ? s.peak : p;
    if (p.ts - first.ts >= lim.forMs) return { state: { phase: 'firing', since: p.ts, first, peak, belowSince: null, last: p }, event: 'fire' };
    return { state: { phase: 'pending', since: first.ts, first, peak, belowSince: null, last: p }, event: null };
  }
  return { state: { phase: 'ok', since: s.phase === 'ok' && prev ? s.since : p.ts, first: null, peak: null, belowSince: null, last: p }, event: null };
}
