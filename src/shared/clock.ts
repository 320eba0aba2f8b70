// Time as a dependency, so services can be tested with a clock that moves on command.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function createManualClock(start = Date.now()): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}
