/**
 * The search page: runs pagefind in the browser against the index that the
 * build writes to /pagefind/, with checkbox filters by content type and
 * topic, and arrow-key movement between results.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string>;
}

interface PagefindSearch {
  results: { id: string; data: () => Promise<PagefindResultData> }[];
}

interface Pagefind {
  options: (options: Record<string, unknown>) => Promise<void>;
  init: () => Promise<void>;
  filters: () => Promise<Record<string, Record<string, number>>>;
  search: (term: string, options: { filters: Record<string, { any: string[] }> }) => Promise<PagefindSearch | null>;
}

const pageSize = 10;
const filterNames = ['type', 'topic'] as const;

export function startSearchPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  const input = document.querySelector<HTMLInputElement>('#search-page-field');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const list = document.querySelector<HTMLOListElement>('[data-search-results]');
  const more = document.querySelector<HTMLButtonElement>('[data-search-more]');
  const filterPanel = document.querySelector<HTMLElement>('[data-search-filters]');
  if (!form || !input || !status || !list || !more || !filterPanel) return;

  const params = new URLSearchParams(window.location.search);
  input.value = params.get('q') ?? '';
  // Arriving from the header search, put the caret in the search field so Down moves into the results.
  if (input.value) input.focus();

  let pagefind: Pagefind | undefined;
  let currentResults: PagefindSearch['results'] = [];
  let shown = 0;
  let searchNumber = 0;

  const run = async (updateUrl: boolean) => {
    const term = input.value.trim();
    const filters = readFilters(filterPanel);
    if (updateUrl) writeQuery(term, filters);

    list.replaceChildren();
    more.hidden = true;
    if (term.length < 2) {
      status.textContent = 'Enter at least two letters to search.';
      return;
    }
    if (!pagefind) return;

    const thisSearch = ++searchNumber;
    status.textContent = 'Searching…';
    const search = await pagefind.search(term, { filters: toPagefindFilters(filters) });
    if (!search || thisSearch !== searchNumber) return;

    currentResults = search.results;
    shown = 0;
    await showMore();
    status.textContent = describeResults(currentResults.length, term);
  };

  const showMore = async () => {
    const batch = currentResults.slice(shown, shown + pageSize);
    const data = await Promise.all(batch.map((result) => result.data()));
    const firstNew = shown;
    list.append(...data.map(renderResult));
    shown += batch.length;
    more.hidden = shown >= currentResults.length;
    return firstNew;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run(true);
  });
  filterPanel.addEventListener('change', () => void run(true));
  more.addEventListener('click', async () => {
    const firstNew = await showMore();
    list.querySelectorAll<HTMLAnchorElement>('a')[firstNew]?.focus();
  });
  enableArrowKeys(input, list);

  loadPagefind()
    .then(async (loaded) => {
      pagefind = loaded;
      await renderFilterOptions(loaded, filterPanel, params);
      await run(false);
    })
    .catch(() => {
      status.textContent =
        'Search is not available right now because the search index is missing. Browse the collections from the menu instead.';
    });
}

async function loadPagefind(): Promise<Pagefind> {
  const path = '/pagefind/pagefind.js';
  const pagefind = (await import(/* @vite-ignore */ path)) as Pagefind;
  await pagefind.options({ excerptLength: 24 });
  await pagefind.init();
  return pagefind;
}

async function renderFilterOptions(pagefind: Pagefind, panel: HTMLElement, params: URLSearchParams): Promise<void> {
  const available = await pagefind.filters();
  for (const name of filterNames) {
    const container = panel.querySelector<HTMLElement>(`[data-filter-options="${name}"]`);
    const values = Object.keys(available[name] ?? {}).sort();
    if (!container) continue;

    const chosen = params.getAll(name);
    container.replaceChildren(
      ...values.map((value, index) => {
        const id = `filter-${name}-${index}`;
        const wrapper = document.createElement('div');
        wrapper.className = 'usa-checkbox';
        const box = document.createElement('input');
        box.className = 'usa-checkbox__input';
        box.type = 'checkbox';
        box.id = id;
        box.name = name;
        box.value = value;
        box.checked = chosen.includes(value);
        const label = document.createElement('label');
        label.className = 'usa-checkbox__label';
        label.htmlFor = id;
        label.textContent = value;
        wrapper.append(box, label);
        return wrapper;
      }),
    );
  }
  panel.hidden = false;
}

function readFilters(panel: HTMLElement): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const name of filterNames) {
    filters[name] = [...panel.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map(
      (box) => box.value,
    );
  }
  return filters;
}

function toPagefindFilters(filters: Record<string, string[]>): Record<string, { any: string[] }> {
  const result: Record<string, { any: string[] }> = {};
  for (const [name, values] of Object.entries(filters)) {
    if (values.length > 0) result[name] = { any: values };
  }
  return result;
}

function writeQuery(term: string, filters: Record<string, string[]>): void {
  const url = new URL(window.location.href);
  url.search = '';
  if (term) url.searchParams.set('q', term);
  for (const [name, values] of Object.entries(filters)) {
    for (const value of values) url.searchParams.append(name, value);
  }
  window.history.replaceState(null, '', url);
}

function describeResults(count: number, term: string): string {
  if (count === 0) return `No pages match "${term}". Check the spelling, use fewer words, or clear the filters.`;
  return `${count} ${count === 1 ? 'page matches' : 'pages match'} "${term}".`;
}

function renderResult(data: PagefindResultData): HTMLLIElement {
  const item = document.createElement('li');
  const type = document.createElement('span');
  type.className = 'search-result-type';
  type.textContent = data.meta.type ?? 'Page';
  const link = document.createElement('a');
  link.className = 'usa-link';
  link.href = data.url;
  link.textContent = data.meta.title ?? data.url;
  const excerpt = document.createElement('p');
  // pagefind escapes the page text and adds only <mark> elements around matches.
  excerpt.innerHTML = data.excerpt;
  item.append(type, link, excerpt);
  return item;
}

/** Up and Down move between the search field and the result links. */
function enableArrowKeys(input: HTMLInputElement, list: HTMLOListElement): void {
  const links = () => [...list.querySelectorAll<HTMLAnchorElement>('a')];

  input.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown') return;
    const first = links()[0];
    if (!first) return;
    event.preventDefault();
    first.focus();
  });

  list.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const all = links();
    const index = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (index === -1) return;
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? all[index + 1] : all[index - 1];
    if (next) next.focus();
    else if (event.key === 'ArrowUp') input.focus();
  });
}
