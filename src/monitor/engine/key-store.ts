// Per-rule state by key with a hard cap: the least recently used key goes first, idle keys expire, so a flood cannot grow memory.
import { detach } from './detach.ts';

export class KeyStore<V> {
  // Each entry keeps its own (detached) key, so re-inserting it never stores the caller's slice of log text instead.
  private readonly map = new Map<string, { key: string; value: V; last: number }>();
  private touches = 0;

  constructor(
    private readonly maxKeys: number,
    /** A key untouched for this long (in event time) is dropped. */
    private readonly idleMs: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The state of a key, created by `make` when missing; marks the key as used at `now`. */
  touch(key: string, now: number, make: () => V): V {
    const hit = this.map.get(key);
    if (hit) {
      // Re-inserted, so the map stays ordered from least to most recently used.
      this.map.delete(key);
      hit.last = now;
      this.map.set(hit.key, hit);
      this.maybeSweep(now);
      return hit.value;
    }
    const value = make();
    const own = detach(key);
    this.map.set(own, { key: own, value, last: now });
    if (this.map.size > this.maxKeys) this.map.delete(this.map.keys().next().value as string);
    this.maybeSweep(now);
    return value;
  }

  peek(key: string): V | undefined {
    return this.map.get(key)?.value;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  entries(): IterableIterator<[string, { key: string; value: V; last: number }]> {
    return this.map.entries();
  }

  /** Every few thousand touches: drops keys idle for longer than idleMs, oldest first, stopping at the first fresh one. */
  private maybeSweep(now: number): void {
    this.touches += 1;
    if ((this.touches & 4095) !== 0) return;
    for (const [key, entry] of this.map) {
      if (now - entry.last < this.idleMs) break;
      this.map.delete(key);
    }
  }
}
