/** The current time, passed in so tests can move it forward. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
