/** The time, injectable so schedules and expiry can be tested at a fixed instant. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (at: Date | string): Clock => {
  const instant = new Date(at);
  return { now: () => new Date(instant) };
};

/** A clock that moves `stepMs` forward at every reading: for tests that need distinct, ordered instants. */
export const steppingClock = (start: Date | string, stepMs = 1000): Clock => {
  let next = new Date(start).getTime();
  return {
    now: () => {
      const instant = new Date(next);
      next += stepMs;
      return instant;
    },
  };
};
