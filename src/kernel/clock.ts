// Time as a collaborator, so tests control it (token expiry, pushedAt, policy timestamps).

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
