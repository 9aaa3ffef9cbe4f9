/**
 * The build decides which events are upcoming on the day it runs. These
 * functions correct that in the browser, so an event that ended after the
 * build is shown as past without a rebuild.
 */

function hasEnded(element: HTMLElement, now: number): boolean {
  const end = Date.parse(element.dataset.eventEnd ?? '');
  return Number.isFinite(end) && end < now;
}

/** Moves ended events from "Upcoming events" to the top of "Past events". */
export function sortEventsByDate(now = Date.now()): void {
  const upcoming = document.querySelector<HTMLElement>('[data-event-group="upcoming"]');
  const past = document.querySelector<HTMLElement>('[data-event-group="past"]');
  const pastList = past?.querySelector('ul');
  if (!upcoming || !past || !pastList) return;

  const ended = [...upcoming.querySelectorAll<HTMLElement>('li[data-event-end]')].filter((item) => hasEnded(item, now));
  pastList.prepend(...ended.reverse());
  for (const group of [upcoming, past]) {
    const empty = group.querySelector<HTMLElement>('[data-event-empty]');
    if (empty) empty.hidden = group.querySelector('li[data-event-end]') !== null;
  }
}

/** Shows the "has ended" or the registration notice of an event page, and hides ended events in short lists. */
export function showEventStatus(now = Date.now()): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-show-when]')) {
    const ended = hasEnded(element, now);
    element.hidden = element.dataset.showWhen === 'past' ? !ended : ended;
  }
  for (const item of document.querySelectorAll<HTMLElement>('li[data-event-end]:not([data-filter-item])')) {
    if (hasEnded(item, now)) item.hidden = true;
  }
}
