/**
 * The "breaching soon" window of the console: a ticket is breaching soon when
 * its next SLA due time falls within the next 2 business hours of its
 * requester's time zone, or has already passed.
 */
import { stateCodes } from '../../shared/states';
import { addBusinessMinutes, parseBusinessHours } from '../sla/business-hours';
import { defaultTimeZone, timeZoneOfState } from '../sla/time-zones';

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

/** Computes, for each time zone in use, the latest due time that counts as breaching soon at `now`. */
export function breachWindows(now: Date, businessHours: string): ZoneWindow[] {
  const hours = parseBusinessHours(businessHours);
  const zones = new Map<string, string[]>();
  for (const state of stateCodes) {
    const zone = timeZoneOfState(state);
    zones.set(zone, [...(zones.get(zone) ?? []), state]);
  }
  if (!zones.has(defaultTimeZone)) zones.set(defaultTimeZone, []);

  return [...zones].map(([timeZone, states]) => ({
    timeZone,
    states,
    includesNoState: timeZone === defaultTimeZone,
    warnFrom: addBusinessMinutes(now, breachWarningMinutes, hours, timeZone).toISOString(),
  }));
}

/** Returns the warnFrom instant that applies to a ticket of a state (or of no state). */
export function warnFromForState(windows: ZoneWindow[], state: string | null): string {
  const zone = timeZoneOfState(state);
  return windows.find((window) => window.timeZone === zone)?.warnFrom ?? windows[0]!.warnFrom;
}
