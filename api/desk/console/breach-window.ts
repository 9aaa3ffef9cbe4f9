/**
 * The "breaching soon" window of the console: a ticket is breaching soon when
 * its next SLA due time falls within the next 2 business hours of its
 * requester's time zone, or has already passed.
 */
import { stateCodes } from '../../shared/states';
import { parseBusinessHours } from '../sla/business-hours';
import { defaultTimeZone, timeZoneOfState } from '../sla/time-zones';
import { slaWarningCutoffs } from '../sla/warnings';

/** Business minutes before a due time from which the console flags a ticket. */
export const breachWarningMinutes = 120;

export interface ZoneWindow {
  timeZone: string;
  /** USPS codes whose tickets use this zone; the default zone also takes tickets without a state. */
  states: string[];
  includesNoState: boolean;
  /** UTC ISO instant: a ticket due at or before it is breaching soon. */
  warnFrom: string;
}

/**
 * Computes, for each time zone in use, the latest due time that counts as
 * breaching soon at `now`. The SLA service computes the cutoffs, so the
 * console and the SLA warnings count business hours the same way.
 */
export function breachWindows(now: Date, businessHours: string): ZoneWindow[] {
  const cutoffs = slaWarningCutoffs(now, parseBusinessHours(businessHours), breachWarningMinutes);
  const statesByZone = new Map<string, string[]>();
  for (const state of stateCodes) {
    const zone = timeZoneOfState(state);
    statesByZone.set(zone, [...(statesByZone.get(zone) ?? []), state]);
  }

  return [...cutoffs].map(([timeZone, cutoff]) => ({
    timeZone,
    states: statesByZone.get(timeZone) ?? [],
    includesNoState: timeZone === defaultTimeZone,
    warnFrom: cutoff.toISOString(),
  }));
}

/** Returns the warnFrom instant that applies to a ticket of a state (or of no state). */
export function warnFromForState(windows: ZoneWindow[], state: string | null): string {
  const zone = timeZoneOfState(state);
  return windows.find((window) => window.timeZone === zone)?.warnFrom ?? windows[0]!.warnFrom;
}
