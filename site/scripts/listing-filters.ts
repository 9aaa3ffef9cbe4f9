/**
 * Topic and audience filters of listing pages. Items carry `data-topics` and
 * `data-audiences` (space-separated ids); the chosen filters are kept in the
 * query string so a filtered listing can be linked and bookmarked.
 */
export function startListingFilters(): void {
  const form = document.querySelector<HTMLFormElement>('[data-listing-filters]');
  const status = document.querySelector<HTMLElement>('[data-result-count]');
  if (!form || !status) return;

  const topicSelect = form.elements.namedItem('topic') as HTMLSelectElement;
  const audienceSelect = form.elements.namedItem('audience') as HTMLSelectElement;
  const params = new URLSearchParams(window.location.search);
  selectIfOffered(topicSelect, params.get('topic'));
  selectIfOffered(audienceSelect, params.get('audience'));

  const apply = (updateUrl: boolean) => {
    const shown = filterItems(topicSelect.value, audienceSelect.value);
    status.textContent = describeCount(shown, Number(form.dataset.total), form.dataset.noun ?? 'items');
    if (updateUrl) writeQuery(topicSelect.value, audienceSelect.value);
  };

  form.hidden = false;
  form.addEventListener('change', () => apply(true));
  form.addEventListener('submit', (event) => event.preventDefault());
  apply(false);
}

function selectIfOffered(select: HTMLSelectElement, value: string | null): void {
  if (value && [...select.options].some((option) => option.value === value)) select.value = value;
}

function filterItems(topic: string, audience: string): number {
  let shown = 0;
  for (const item of document.querySelectorAll<HTMLElement>('[data-filter-item]')) {
    const topicMatches = !topic || (item.dataset.topics ?? '').split(' ').includes(topic);
    const audienceMatches = !audience || (item.dataset.audiences ?? '').split(' ').includes(audience);
    item.hidden = !(topicMatches && audienceMatches);
    if (!item.hidden) shown += 1;
  }

  // Hide a group (such as one FAQ topic) when none of its items is shown.
  for (const group of document.querySelectorAll<HTMLElement>('[data-filter-group]')) {
    group.hidden = group.querySelector('[data-filter-item]:not([hidden])') === null;
  }
  return shown;
}

function describeCount(shown: number, total: number, noun: string): string {
  if (shown === total) return `Showing all ${total} ${noun}`;
  if (shown === 0) return `No ${noun} match these filters. Choose "All topics" or "All audiences" to see more.`;
  return `Showing ${shown} of ${total} ${noun}`;
}

function writeQuery(topic: string, audience: string): void {
  const url = new URL(window.location.href);
  if (topic) url.searchParams.set('topic', topic);
  else url.searchParams.delete('topic');
  if (audience) url.searchParams.set('audience', audience);
  else url.searchParams.delete('audience');
  window.history.replaceState(null, '', url);
}
