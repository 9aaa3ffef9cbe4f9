/**
 * Reads the token of an emailed link. Links carry it in the fragment
 * (`#token=…`), which browsers never send to a server, so it stays out of
 * server logs and Referer headers. The fragment is then removed from the
 * address bar and from this tab's history entry, so the token is not left on
 * screen or reached again with the Back button.
 */
export function takeTokenFromFragment(): string | undefined {
  const fragment = window.location.hash.replace(/^#/, '');
  if (!fragment) return undefined;

  const token = new URLSearchParams(fragment).get('token')?.trim();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
  return token || undefined;
}

/**
 * Reloads the page when a token arrives in the fragment after load. That
 * happens when the emailed link is opened in a tab that already shows this
 * page: the browser then only scrolls, so the page script does not run again.
 */
export function reloadOnNewToken(): void {
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(window.location.hash.replace(/^#/, '')).has('token')) window.location.reload();
  });
}
