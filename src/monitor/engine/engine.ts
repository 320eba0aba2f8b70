// The rules engine: events in (in time order, their own timestamps), detections out; state per rule and key, capped.
import { fieldOf, type MonitorEvent } from '../event.ts';
import { compileMatch, eventsOf, type Predicate } from '../rules/conditions.ts';
import type { RuleSpec } from '../rules/schema.ts';
import { detach } from './detach.ts';
import { groupIp } from './ip-group.ts';
import { KeyStore } from './key-store.ts';

export type Severity = RuleSpec['severity'];

/** What a rule found: the key it fired for, the events that made it fire (the last few), and what should happen. */
export type Detection = {
  rule: string;
  /** The rule's short name for people (its title, else its id). */
  title: string;
  kind: RuleSpec['kind'];
  severity: Severity;
  key: string;
  ip: string | null;
  user: string | null;
  ts: number;
  count: number;
  actions: RuleSpec['actions'];
  ban: RuleSpec['ban'];
  simulate: boolean;
  banAdminSessions: boolean;
  evidence: MonitorEvent[];
  details: Record<string, number | string>;
};

export type RuleStats = { rule: string; detections: number; lastDetectionTs: number | null; keys: number };

const EVIDENCE = 20;

type Runner = {
  spec: RuleSpec;
  match: Predicate;
  /** Event names the rule can match, or null for any. */
  events: string[] | null;
  handle(ev: MonitorEvent, key: string): void;
  keys(): number;
  /** For sequence rules keyed on another rule: arms the key after that rule fired. */
  arm?(det: Detection): void;
};

const keyFields = (spec: RuleSpec) => (Array.isArray(spec.key) ? spec.key : [spec.key]);

/** The value a rule keys or compares on: ip grouped by the rule's prefixes, anything else as text. */
function valueOf(spec: RuleSpec, ev: MonitorEvent, field: string): string | null {
  const v = field === 'ip' ? ev.ip : fieldOf(ev, field);
  if (v === null || v === undefined || v === '') return null;
  return field === 'ip' ? groupIp(String(v), spec.ipPrefix.v4, spec.ipPrefix.v6) : String(v);
}

function keyOf(spec: RuleSpec, fields: string[], ev: MonitorEvent): string | null {
  if (fields.length === 1) return valueOf(spec, ev, fields[0]!);
  const parts: string[] = [];
  for (const f of fields) {
    const v = valueOf(spec, ev, f);
    if (v === null) return null;
    parts.push(v);
  }
  return parts.join('|');
}

const pushEvidence = (list: MonitorEvent[], ev: MonitorEvent) => {
  list.push(ev);
  if (list.length > EVIDENCE) list.shift();
};

export function createEngine(rules: readonly RuleSpec[], onDetection: (d: Detection) => void) {
  const stats = new Map<string, RuleStats>();
  const runners: Runner[] = [];
  const byEvent = new Map<string, Runner[]>();
  const anyEvent: Runner[] = [];
  /** Sequence rules waiting for another rule's detections, by that rule's id. */
  const followers = new Map<string, Runner[]>();

  function emit(spec: RuleSpec, key: string, ev: MonitorEvent, count: number, evidence: MonitorEvent[], details: Record<string, number | string> = {}): void {
    const det: Detection = {
      rule: spec.id,
      title: spec.title ?? spec.id,
      kind: spec.kind,
      severity: spec.severity,
      key,
      ip: ev.ip,
      user: ev.user,
      ts: ev.ts,
      count,
      actions: spec.actions,
      ban: spec.ban,
      simulate: spec.simulate,
      banAdminSessions: spec.banAdminSessions,
      evidence: [...evidence],
      details,
    };
    const s = stats.get(spec.id)!;
    s.detections += 1;
    s.lastDetectionTs = ev.ts;
    onDetection(det);
    for (const follower of followers.get(spec.id) ?? []) follower.arm!(det);
  }

  function threshold(spec: Extract<RuleSpec, { kind: 'threshold' }>): Pick<Runner, 'handle' | 'keys'> {
    type S = { times: number[]; distinct: Map<string, number> | null; evidence: MonitorEvent[] };
    const store = new KeyStore<S>(spec.maxKeys, spec.window);
    return {
      keys: () => store.size,
      handle(ev, key) {
        const s = store.touch(key, ev.ts, () => ({ times: [], distinct: spec.distinct ? new Map() : null, evidence: [] }));
        const since = ev.ts - spec.window;
        pushEvidence(s.evidence, ev);
        let count: number;
        if (s.distinct) {
          const v = valueOf(spec, ev, spec.distinct!);
          if (v === null) return;
          // An existing entry keeps its own key string; only a new value is copied out of the log text.
          if (s.distinct.has(v)) s.distinct.set(v, ev.ts);
          else s.distinct.set(detach(v), ev.ts);
          for (const [value, at] of s.distinct) if (at <= since) s.distinct.delete(value);
          count = s.distinct.size;
        } else {
          const t = s.times;
          t.push(ev.ts);
          let drop = 0;
          while (drop < t.length && t[drop]! <= since) drop += 1;
          if (drop > 0) t.splice(0, drop);
          count = t.length;
        }
        if (count >= spec.threshold) {
          emit(spec, key, ev, count, s.evidence);
          // Counting starts again, as fail2ban does after a ban.
          store.delete(key);
        }
      },
    };
  }

  function leaky(spec: Extract<RuleSpec, { kind: 'leaky' }>): Pick<Runner, 'handle' | 'keys'> {
    type S = { level: number; at: number; quietUntil: number; evidence: MonitorEvent[] };
    const store = new KeyStore<S>(spec.maxKeys, spec.capacity * spec.leak + spec.cooldown);
    return {
      keys: () => store.size,
      handle(ev, key) {
        const s = store.touch(key, ev.ts, () => ({ level: 0, at: ev.ts, quietUntil: 0, evidence: [] }));
        s.level = Math.max(0, s.level - Math.max(0, ev.ts - s.at) / spec.leak) + 1;
        s.at = ev.ts;
        pushEvidence(s.evidence, ev);
        if (s.level > spec.capacity && ev.ts >= s.quietUntil) {
          s.quietUntil = ev.ts + spec.cooldown;
          emit(spec, key, ev, Math.round(s.level), s.evidence);
        }
      },
    };
  }

  function newValue(spec: Extract<RuleSpec, { kind: 'new_value' }>): Pick<Runner, 'handle' | 'keys'> {
    type S = { firstSeen: number; values: Map<string, number> };
    const store = new KeyStore<S>(spec.maxKeys, spec.memory);
    const MAX_VALUES = 1000;
    return {
      keys: () => store.size,
      handle(ev, key) {
        const value = valueOf(spec, ev, spec.value);
        if (value === null) return;
        let fresh = false;
        const s = store.touch(key, ev.ts, () => {
          fresh = true;
          return { firstSeen: ev.ts, values: new Map() };
        });
        const seen = s.values.get(value);
        if (seen !== undefined && ev.ts - seen < spec.memory) {
          s.values.set(value, ev.ts);
          return;
        }
        // The first value of an entity is its baseline; later ones are learned silently during the learning period.
        const known = s.values.size;
        if (seen !== undefined) s.values.set(value, ev.ts);
        else s.values.set(detach(value), ev.ts);
        if (s.values.size > MAX_VALUES) s.values.delete(s.values.keys().next().value as string);
        if (!fresh && ev.ts - s.firstSeen >= spec.learning) emit(spec, key, ev, known, [ev], { value });
      },
    };
  }

  function rateAnomaly(spec: Extract<RuleSpec, { kind: 'rate_anomaly' }>): Pick<Runner, 'handle' | 'keys'> {
    type S = { bucket: number; count: number; fired: boolean; mean: number; variance: number; n: number; evidence: MonitorEvent[] };
    const store = new KeyStore<S>(spec.maxKeys, spec.interval * Math.max(spec.warmup * 10, 100));
    const update = (s: S, c: number) => {
      if (s.n === 0) s.mean = c;
      const diff = c - s.mean;
      s.mean += spec.alpha * diff;
      s.variance = (1 - spec.alpha) * (s.variance + spec.alpha * diff * diff);
      s.n += 1;
    };
    return {
      keys: () => store.size,
      handle(ev, key) {
        const bucket = Math.floor(ev.ts / spec.interval);
        const s = store.touch(key, ev.ts, () => ({ bucket, count: 0, fired: false, mean: 0, variance: 0, n: 0, evidence: [] }));
        if (bucket > s.bucket) {
          // Close the finished interval, and the empty ones after it, into the baseline.
          update(s, s.count);
          for (let gap = Math.min(bucket - s.bucket - 1, 1000); gap > 0; gap -= 1) update(s, 0);
          s.bucket = bucket;
          s.count = 0;
          s.fired = false;
          s.evidence = [];
        }
        s.count += 1;
        pushEvidence(s.evidence, ev);
        if (s.fired || s.n < spec.warmup || s.count < spec.minCount) return;
        const sd = Math.sqrt(s.variance);
        const overZ = spec.zscore !== undefined && s.count >= s.mean + spec.zscore * Math.max(sd, 1);
        const overRatio = spec.ratio !== undefined && s.count >= spec.ratio * Math.max(s.mean, 1);
        if (overZ || overRatio) {
          s.fired = true;
          emit(spec, key, ev, s.count, s.evidence, { baseline: Math.round(s.mean * 100) / 100, stddev: Math.round(sd * 100) / 100 });
        }
      },
    };
  }

  function sequence(spec: Extract<RuleSpec, { kind: 'sequence' }>, fields: string[]): Pick<Runner, 'handle' | 'keys' | 'arm'> & { before?: Runner } {
    type S = { armedAt: number; count: number; evidence: MonitorEvent[] };
    const store = new KeyStore<S>(spec.maxKeys, spec.within);
    const armKey = (key: string, ts: number, evidence: MonitorEvent[]) => {
      const s = store.touch(key, ts, () => ({ armedAt: ts, count: 0, evidence: [] }));
      s.armedAt = ts;
      s.evidence = evidence.slice(-EVIDENCE + 1);
    };
    const runner: Pick<Runner, 'handle' | 'keys' | 'arm'> & { before?: Runner } = {
      keys: () => store.size,
      handle(ev, key) {
        const s = store.peek(key);
        if (!s || s.armedAt === 0 || ev.ts - s.armedAt > spec.within) return;
        store.delete(key);
        emit(spec, key, ev, s.count, [...s.evidence, ev], { armedAt: s.armedAt });
      },
      arm(det) {
        // The detection is keyed in the other rule's terms; this rule's key is rebuilt from its address and user.
        const ev = det.evidence[det.evidence.length - 1];
        const key = ev ? keyOf(spec, fields, ev) : null;
        if (key !== null) armKey(key, det.ts, det.evidence);
      },
    };
    if (!('rule' in spec.after)) {
      const need = spec.after.count;
      const counts = new KeyStore<{ times: number[]; evidence: MonitorEvent[] }>(spec.maxKeys, spec.within);
      runner.before = {
        spec,
        match: compileMatch(spec.after.match),
        events: eventsOf(spec.after.match),
        keys: () => counts.size,
        handle(ev, key) {
          const c = counts.touch(key, ev.ts, () => ({ times: [], evidence: [] }));
          c.times.push(ev.ts);
          pushEvidence(c.evidence, ev);
          while (c.times.length > 0 && c.times[0]! <= ev.ts - spec.within) c.times.shift();
          if (c.times.length >= need) {
            armKey(key, ev.ts, c.evidence);
            counts.delete(key);
          }
        },
      };
    }
    return runner;
  }

  const add = (r: Runner) => {
    runners.push(r);
    if (r.events === null) anyEvent.push(r);
    else for (const e of r.events) byEvent.set(e, [...(byEvent.get(e) ?? []), r]);
  };

  for (const spec of rules) {
    if (!spec.enabled) continue;
    stats.set(spec.id, { rule: spec.id, detections: 0, lastDetectionTs: null, keys: 0 });
    const fields = keyFields(spec);
    const events = eventsOf(spec.match);
    // A rule indexed by event name only sees events of those names: the name need not be tested again.
    const { event: _named, ...rest } = spec.match;
    const base = { spec, match: compileMatch(events === null ? spec.match : rest), events };
    const kind =
      spec.kind === 'threshold' ? threshold(spec) : spec.kind === 'leaky' ? leaky(spec) : spec.kind === 'new_value' ? newValue(spec) : spec.kind === 'rate_anomaly' ? rateAnomaly(spec) : sequence(spec, fields);
    const runner: Runner = { ...base, ...kind };
    add(runner);
    if (spec.kind === 'sequence') {
      if ('rule' in spec.after) followers.set(spec.after.rule, [...(followers.get(spec.after.rule) ?? []), runner]);
      const before = (kind as { before?: Runner }).before;
      if (before) add(before);
    }
  }
  // Anything-goes rules run for every event, after those indexed by event name.
  const forEvent = (name: string): Runner[] => {
    const indexed = byEvent.get(name);
    if (!indexed) return anyEvent;
    return anyEvent.length === 0 ? indexed : [...indexed, ...anyEvent];
  };
  const fieldsOf = new Map(runners.map((r) => [r, keyFields(r.spec)]));

  return {
    /** Runs one event through every rule that may match it; the ids of the rules that matched go to `matched` if given. */
    feed(ev: MonitorEvent, matched?: string[]): void {
      for (const r of forEvent(ev.event)) {
        if (!r.match(ev)) continue;
        const key = keyOf(r.spec, fieldsOf.get(r)!, ev);
        if (key === null) continue;
        matched?.push(r.spec.id);
        r.handle(ev, key);
      }
    },
    stats(): RuleStats[] {
      const out = new Map<string, RuleStats>();
      for (const r of runners) {
        const s = stats.get(r.spec.id)!;
        out.set(r.spec.id, { ...s, keys: (out.get(r.spec.id)?.keys ?? 0) + r.keys() });
      }
      return [...out.values()];
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
