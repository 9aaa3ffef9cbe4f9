/**
 * The failure-rate guard: a campaign pauses itself when too many of its
 * recent send attempts fail, which usually means the mail server or the
 * list is wrong and more sending would only hurt the sender's reputation.
 *
 * Rule (defaultAutoPauseRule): after at least 50 attempts, more than 20% of
 * the last 100 attempts failed. Every attempt counts, and a temporary failure
 * that will be retried counts as failed. The window lives in the worker's
 * memory: it starts empty when the process starts and again after each
 * automatic pause, so a resumed campaign gets 50 fresh attempts.
 */

export interface AutoPauseRule {
  /** Most recent attempts considered per campaign. */
  windowSize: number;
  /** Attempts needed in the window before the rule can pause. */
  minAttempts: number;
  /** Failure share above which the campaign pauses, from 0 to 1. */
  maxFailureShare: number;
}

export const defaultAutoPauseRule: AutoPauseRule = { windowSize: 100, minAttempts: 50, maxFailureShare: 0.2 };

export interface FailureCheck {
  attempts: number;
  failures: number;
  /** Whether the rule requires a pause now. */
  exceeded: boolean;
}

export interface FailureMonitor {
  /** Records one attempt of a campaign and checks the rule. */
  record(campaignId: number, failed: boolean): FailureCheck;
  /** Forgets a campaign's attempts, after it paused. */
  reset(campaignId: number): void;
}

export function createFailureMonitor(rule: AutoPauseRule = defaultAutoPauseRule): FailureMonitor {
  if (!(
    rule.minAttempts >= 1 &&
    rule.windowSize >= rule.minAttempts &&
    rule.maxFailureShare >= 0 &&
    rule.maxFailureShare < 1
  )) {
    throw new RangeError(
      `Invalid auto-pause rule ${JSON.stringify(rule)}: expected 1 <= minAttempts <= windowSize and 0 <= maxFailureShare < 1.`,
    );
  }
  /** Per campaign, the outcomes of the latest attempts, oldest first; true means failed. */
  const windows = new Map<number, boolean[]>();

  return {
    record(campaignId, failed) {
      const window = windows.get(campaignId) ?? [];
      window.push(failed);
      if (window.length > rule.windowSize) window.shift();
      windows.set(campaignId, window);

      const failures = window.filter(Boolean).length;
      const exceeded = window.length >= rule.minAttempts && failures / window.length > rule.maxFailureShare;
      return { attempts: window.length, failures, exceeded };
    },
    reset(campaignId) {
      windows.delete(campaignId);
    },
  };
}
