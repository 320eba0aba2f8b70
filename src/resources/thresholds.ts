// Evaluates the threshold rules on each sample, per rule and target, and raises or resolves alerts through a sink.
import type { AlertEvidence, RaiseAlert } from '../alerts/alerts.types.ts';
import { alertSummary, alertTitle, goneNote, resolveNote } from './alert-text.ts';
import { readingsOf } from './metrics.ts';
import type { ResourceRule } from './rules/loader.ts';
import { SERVER_METRICS } from './rules/schema.ts';
import type { ResourceSample } from './sample.ts';
import type { ServerSample } from './server-history.ts';
import { advance, type Phase, type Point, type TargetState } from './threshold-state.ts';

/** Where resource alerts go (the alerts inbox); a failed call is retried on the next sample. */
export type ResourceAlertSink = { raise(input: RaiseAlert): Promise<void>; resolve(dedupKey: string, note: string): Promise<void> };

/** name: what a target that is an id is called (a server's name). */
export type TargetStatus = { target: string; name: string | null; state: Phase; since: number; value: number; ts: number };
export type RuleStatus = { rule: ResourceRule; state: Phase; since: number | null; value: number | null; targets: TargetStatus[] };
/** A firing alert as kept across restarts. */
export type FiringAlert = { dedupKey: string; rule: string; target: string; since: number; value: number };

export const dedupKeyOf = (ruleId: string, target: string): string => `resources:${ruleId}:${target}`;

const RANK: Record<Phase, number> = { ok: 0, pending: 1, firing: 2 };

export type Thresholds = ReturnType<typeof createThresholds>;

export function createThresholds(deps: {
  rules: readonly ResourceRule[];
  sink: ResourceAlertSink;
  /** The sampling interval: a gap of more than 3 intervals between readings breaks a run. */
  intervalMs: number;
  hostname: string;
  onError: (err: unknown, dedupKey: string) => void;
}) {
  const maxGapMs = 3 * deps.intervalMs;
  const active = deps.rules.filter((r) => r.enabled);
  const states = new Map<string, Map<string, TargetState>>(active.map((r) => [r.id, new Map()]));
  /** What targets that are ids are called (servers by name), as last seen; kept while a target has a state. */
  const names = new Map<string, string>();

  function raiseInput(rule: ResourceRule, target: string, s: TargetState, sample: ResourceSample): RaiseAlert {
    const points = [s.first, s.peak, s.last].filter((p): p is Point => p !== null);
    const evidence: AlertEvidence[] = [...new Map(points.map((p) => [p.ts, p])).values()]
      .sort((a, b) => a.ts - b.ts)
      .map((p) => ({ kind: 'metric', ts: new Date(p.ts).toISOString(), metric: rule.metric, value: p.value, target }));
    const disk = rule.metric === 'disk' ? sample.disks.find((d) => d.mount === target) : undefined;
    const name = names.get(target);
    const server = SERVER_METRICS.has(rule.metric) ? { serverId: target.replace(/^server:/, ''), serverName: name } : {};
    return {
      source: 'resources',
      severity: rule.severity,
      dedupKey: dedupKeyOf(rule.id, target),
      title: alertTitle(rule, target, s.last.value, deps.hostname, name),
      summary: alertSummary(rule, target, s, deps.hostname, { disk, name }),
      evidence,
      details: { rule: rule.id, metric: rule.metric, target, ...server, host: deps.hostname, value: s.last.value, above: rule.above, forMs: rule.for, clearBelow: rule.clear_below, clearForMs: rule.clear_for },
      ts: sample.ts,
    };
  }

  async function evaluate(rule: ResourceRule, sample: ResourceSample, servers: readonly ServerSample[]): Promise<void> {
    const byTarget = states.get(rule.id)!;
    const limits = { above: rule.above, forMs: rule.for, clearBelow: rule.clear_below, clearForMs: rule.clear_for, maxGapMs };
    const seen = new Set<string>();
    for (const { target, value, name } of readingsOf(rule, sample, servers)) {
      seen.add(target);
      if (name !== undefined) names.set(target, name);
      const prev = byTarget.get(target);
      const { state, event } = advance(prev, { ts: sample.ts, value }, limits);
      const key = dedupKeyOf(rule.id, target);
      if (event === 'fire') {
        try {
          await deps.sink.raise(raiseInput(rule, target, state, sample));
        } catch (err) {
          deps.onError(err, key);
          // Still pending: the next reading above fires (raises) again.
          byTarget.set(target, { ...state, phase: 'pending', since: state.first!.ts });
          continue;
        }
      } else if (event === 'resolve') {
        try {
          await deps.sink.resolve(key, resolveNote(rule, target, value, names.get(target)));
        } catch (err) {
          deps.onError(err, key);
          // Still firing with its run below kept: the next reading below resolves again.
          byTarget.set(target, { ...prev!, belowSince: prev!.belowSince ?? sample.ts, last: state.last });
          continue;
        }
      }
      byTarget.set(target, state);
    }
    // Targets without a reading (an unmounted disk, swap turned off): forgotten after a gap; a firing one resolves
    // once it has been silent for longer than clear_for, so no alert stays open for a mount that is gone.
    for (const [target, s] of byTarget) {
      if (seen.has(target)) continue;
      const silent = sample.ts - s.last.ts;
      if (s.phase !== 'firing') {
        if (silent > maxGapMs) byTarget.delete(target);
      } else if (silent > Math.max(maxGapMs, rule.clear_for)) {
        const key = dedupKeyOf(rule.id, target);
        try {
          await deps.sink.resolve(key, goneNote(rule, target, s.last.ts, names.get(target)));
          byTarget.delete(target);
        } catch (err) {
          deps.onError(err, key);
        }
      }
    }
  }

  return {
    /**
     * Evaluates every enabled rule on one round: the host's sample and the running servers' (taken with it); sink calls
     * are made one after another, in rule order.
     */
    async observe(sample: ResourceSample, servers: readonly ServerSample[] = []): Promise<void> {
      for (const rule of active) await evaluate(rule, sample, servers);
      // Names of targets no rule keeps a state for any more (servers deleted) are forgotten.
      for (const target of names.keys()) if (![...states.values()].some((byTarget) => byTarget.has(target))) names.delete(target);
    },

    /** Alerts that fired before a restart: firing again at once, so they resolve when the values say so (not raised twice). */
    restore(alerts: readonly FiringAlert[], now: number): FiringAlert[] {
      const orphans: FiringAlert[] = [];
      for (const a of alerts) {
        const byTarget = states.get(a.rule);
        if (!byTarget) {
          orphans.push(a);
          continue;
        }
        const p = { ts: a.since, value: a.value };
        byTarget.set(a.target, { phase: 'firing', since: a.since, first: p, peak: p, belowSince: null, last: { ts: now, value: a.value } });
      }
      return orphans;
    },

    firing(): FiringAlert[] {
      const out: FiringAlert[] = [];
      for (const [rule, byTarget] of states) {
        for (const [target, s] of byTarget) if (s.phase === 'firing') out.push({ dedupKey: dedupKeyOf(rule, target), rule, target, since: s.since, value: s.last.value });
      }
      return out;
    },

    /** Every rule (disabled ones too) with the state of each target; the rule's own state is its worst target's. */
    status(): RuleStatus[] {
      return deps.rules.map((rule) => {
        const targets = [...(states.get(rule.id) ?? new Map<string, TargetState>()).entries()]
          .map(([target, s]): TargetStatus => ({ target, name: names.get(target) ?? null, state: s.phase, since: s.since, value: s.last.value, ts: s.last.ts }))
          .sort((a, b) => a.target.localeCompare(b.target));
        const worst = targets.reduce<TargetStatus | null>((w, t) => (!w || RANK[t.state] > RANK[w.state] || (RANK[t.state] === RANK[w.state] && t.value > w.value) ? t : w), null);
        return { rule, state: worst?.state ?? 'ok', since: worst?.since ?? null, value: worst?.value ?? null, targets };
      });
    },
  };
}
