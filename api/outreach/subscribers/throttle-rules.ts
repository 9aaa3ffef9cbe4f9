import type { ThrottleRule } from '../../auth/throttle';

const minute = 60_000;

/**
 * Limits on the public subscriber routes. The per-address limit also caps how
 * many confirmation emails one address can be sent by strangers.
 */
export const subscriberThrottleRules = {
  signUpPerIp: { limit: 20, windowMs: 60 * minute },
  signUpPerAddress: { limit: 3, windowMs: 60 * minute },
  confirmPerIp: { limit: 30, windowMs: 15 * minute },
} satisfies Record<string, ThrottleRule>;
