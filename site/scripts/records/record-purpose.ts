/**
 * The purpose given for searching and opening student records. The search
 * page keeps it in the tab's sessionStorage, so opening a result records the
 * same purpose without a second request. It never goes into a URL.
 */
const storageKey = 'msix-assist.records-purpose';

export interface Purpose {
  purpose: string;
  purposeText?: string;
}

export function readStoredPurpose(): Purpose | undefined {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as Purpose | null;
    return parsed && typeof parsed.purpose === 'string' && parsed.purpose ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function storePurpose(purpose: Purpose): void {
  sessionStorage.setItem(storageKey, JSON.stringify(purpose));
}

/** Reads the purpose fields of a form that contains PurposeFields.astro. */
export function readPurposeFields(form: HTMLFormElement): Purpose {
  const data = new FormData(form);
  const purpose = String(data.get('purpose') ?? '');
  const purposeText = String(data.get('purposeText') ?? '').trim();
  return purpose === 'other' ? { purpose, purposeText } : { purpose };
}

/** Shows the purpose text field only while "Other" is chosen; call once per form. */
export function connectPurposeFields(form: HTMLFormElement): void {
  const { select, group } = findPurposeFields(form);
  select.addEventListener('change', () => {
    group.hidden = select.value !== 'other';
  });
}

/** Fills the purpose fields, or empties them when `purpose` is undefined. */
export function fillPurposeFields(form: HTMLFormElement, purpose: Purpose | undefined): void {
  const { select, text, group } = findPurposeFields(form);
  select.value = purpose?.purpose ?? '';
  text.value = purpose?.purposeText ?? '';
  group.hidden = select.value !== 'other';
}

function findPurposeFields(form: HTMLFormElement) {
  const select = form.querySelector<HTMLSelectElement>('select[name="purpose"]');
  const text = form.querySelector<HTMLInputElement>('input[name="purposeText"]');
  const group = form.querySelector<HTMLElement>('[data-purpose-text-group]');
  if (!select || !text || !group) throw new Error('The form has no purpose fields.');
  return { select, text, group };
}
