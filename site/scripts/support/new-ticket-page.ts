/**
 * The new-ticket form at /support/. Signed-in people file directly; visitors
 * give their name, address and state and get a confirmation link by email.
 * While the requester types, up to three matching FAQs are shown. Opening one
 * is recorded with the draft id, so the desk can count who left without
 * filing. The draft id is also the idempotency key, so a double submit makes
 * one ticket.
 */
import { callApi } from '../account/api';
import { clearFormErrors, showFieldProblems, showFormError } from '../account/form-feedback';
import { fetchSession, type Session } from '../account/session';
import { matchFaqs, type FaqEntry } from './faq-match';
import { checkFiles, uploadFiles } from './uploads';

interface Draft {
  draftId: string;
  subject: string;
  category: string;
  description: string;
}

interface Elements {
  form: HTMLFormElement;
  heading: HTMLElement;
  visitorFields: HTMLElement;
  visitorNote: HTMLElement;
  signedInLinks: HTMLElement;
  attachments: HTMLElement;
  fileInput: HTMLInputElement;
  suggestions: HTMLElement;
  suggestionList: HTMLElement;
  suggestionStatus: HTMLElement;
  submit: HTMLButtonElement;
  submitStatus: HTMLElement;
  done: HTMLElement;
  doneHeading: HTMLElement;
  doneText: HTMLElement;
  doneTicketItem: HTMLElement;
  doneTicketLink: HTMLAnchorElement;
  newRequest: HTMLButtonElement;
}

const draftStorageKey = 'msix-support-draft';
/** Milliseconds without typing before the suggestions are matched again. */
const suggestionDelayMs = 300;

function find<T extends HTMLElement>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector} element.`);
  return element;
}

function findElements(): Elements {
  return {
    form: find('[data-ticket-form]'),
    heading: find('[data-page-heading]'),
    visitorFields: find('[data-visitor-fields]'),
    visitorNote: find('[data-visitor-note]'),
    signedInLinks: find('[data-signed-in-links]'),
    attachments: find('[data-attachments-wrapper]'),
    fileInput: find('#support-attachments'),
    suggestions: find('[data-suggestions]'),
    suggestionList: find('[data-suggestion-list]'),
    suggestionStatus: find('[data-suggestion-status]'),
    submit: find('[data-submit]'),
    submitStatus: find('[data-submit-status]'),
    done: find('[data-done]'),
    doneHeading: find('[data-done-heading]'),
    doneText: find('[data-done-text]'),
    doneTicketItem: find('[data-done-ticket-item]'),
    doneTicketLink: find('[data-done-ticket-link]'),
    newRequest: find('[data-new-request]'),
  };
}

function newDraftId(): string {
  return crypto.randomUUID();
}

function readDraft(): Draft {
  try {
    const stored = JSON.parse(sessionStorage.getItem(draftStorageKey) ?? 'null') as Draft | null;
    if (stored && typeof stored.draftId === 'string') return stored;
  } catch {
    // A damaged or blocked storage only loses the draft.
  }
  return { draftId: newDraftId(), subject: '', category: '', description: '' };
}

function saveDraft(draft: Draft): void {
  try {
    sessionStorage.setItem(draftStorageKey, JSON.stringify(draft));
  } catch {
    // Private browsing may block storage; the form still works.
  }
}

function fieldValue(form: HTMLFormElement, name: string): string {
  const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
  return field?.value ?? '';
}

function setFieldValue(form: HTMLFormElement, name: string, value: string): void {
  const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
  if (field) field.value = value;
}

export async function startSupportPage(): Promise<void> {
  const elements = findElements();
  const { form } = elements;

  let session: Session;
  try {
    session = await fetchSession();
  } catch {
    session = { signedIn: false };
  }
  const signedIn = session.signedIn;
  elements.visitorFields.hidden = signedIn;
  elements.visitorNote.hidden = signedIn;
  elements.signedInLinks.hidden = !signedIn;
  elements.attachments.hidden = !signedIn;
  const staff = session.signedIn && (session.person.role === 'agent' || session.person.role === 'admin');
  find('[data-staff-link]').hidden = !staff;

  let draft = readDraft();
  setFieldValue(form, 'subject', draft.subject);
  setFieldValue(form, 'category', draft.category);
  setFieldValue(form, 'description', draft.description);
  form.hidden = false;

  const suggest = createSuggester(elements, () => draft.draftId);
  form.addEventListener('input', () => {
    draft = {
      ...draft,
      subject: fieldValue(form, 'subject'),
      category: fieldValue(form, 'category'),
      description: fieldValue(form, 'description'),
    };
    saveDraft(draft);
    suggest(`${draft.subject} ${draft.description}`);
  });
  if (draft.subject || draft.description) suggest(`${draft.subject} ${draft.description}`);

  let sending = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    clearFormErrors(form);
    const files = Array.from(elements.fileInput.files ?? []);
    const fileProblem = signedIn ? checkFiles(files) : undefined;
    if (fileProblem) {
      showFieldProblems(form, [{ field: 'attachments', message: fileProblem }]);
      return;
    }

    sending = true;
    elements.submit.disabled = true;
    elements.submitStatus.textContent = 'Sending your request…';
    try {
      const fields = {
        subject: fieldValue(form, 'subject'),
        category: fieldValue(form, 'category'),
        description: fieldValue(form, 'description'),
        idempotencyKey: draft.draftId,
        draftId: draft.draftId,
      };
      if (signedIn) {
        if (files.length > 0) elements.submitStatus.textContent = 'Uploading your files…';
        const attachments = await uploadFiles(files);
        const result = await callApi<{ ticketId: number }>('POST', '/api/tickets', { ...fields, attachments });
        showDone(elements, {
          heading: `Ticket #${result.ticketId} is open`,
          text: 'We emailed you a confirmation. An agent will answer by email, and you can follow the ticket here.',
          ticketId: result.ticketId,
        });
      } else {
        await callApi('POST', '/api/support/visitor-requests', {
          ...fields,
          name: fieldValue(form, 'name'),
          email: fieldValue(form, 'email'),
          state: fieldValue(form, 'state'),
        });
        showDone(elements, {
          heading: 'Check your email',
          text: `We sent a link to ${fieldValue(form, 'email').trim()}. Open it within 48 hours to confirm your address, and your ticket opens. If it does not arrive in a few minutes, look in your junk mail folder.`,
        });
      }
      sessionStorage.removeItem(draftStorageKey);
      draft = { draftId: newDraftId(), subject: '', category: '', description: '' };
      form.reset();
      suggest('');
    } catch (error) {
      showFormError(form, error);
    } finally {
      sending = false;
      elements.submit.disabled = false;
      elements.submitStatus.textContent = '';
    }
  });

  elements.newRequest.addEventListener('click', () => {
    elements.done.hidden = true;
    form.hidden = false;
    (form.elements.namedItem(signedIn ? 'subject' : 'name') as HTMLElement | null)?.focus();
  });
}

function showDone(elements: Elements, result: { heading: string; text: string; ticketId?: number }): void {
  elements.form.hidden = true;
  elements.done.hidden = false;
  elements.doneHeading.textContent = result.heading;
  elements.doneText.textContent = result.text;
  elements.doneTicketItem.hidden = result.ticketId === undefined;
  if (result.ticketId !== undefined) elements.doneTicketLink.href = `/support/ticket/?id=${result.ticketId}`;
  elements.doneHeading.focus();
}

/** Returns a function that shows the FAQs matching the text after a short pause in typing. */
function createSuggester(elements: Elements, currentDraftId: () => string): (text: string) => void {
  let index: Promise<FaqEntry[]> | undefined;
  let timer: number | undefined;
  let lastShown = '';

  const loadIndex = () =>
    (index ??= fetch('/support/faq-index.json', { credentials: 'same-origin' })
      .then((response) => (response.ok ? (response.json() as Promise<FaqEntry[]>) : []))
      .catch(() => []));

  const render = (matches: FaqEntry[]) => {
    const key = matches.map((entry) => entry.slug).join(' ');
    if (key === lastShown) return;
    lastShown = key;
    elements.suggestionList.replaceChildren(...matches.map((entry) => suggestionItem(entry, currentDraftId)));
    elements.suggestions.hidden = matches.length === 0;
    elements.suggestionStatus.textContent =
      matches.length === 0
        ? ''
        : `${matches.length === 1 ? 'One answer' : `${matches.length} answers`} that might help ${matches.length === 1 ? 'is' : 'are'} listed after the description.`;
  };

  return (text: string) => {
    window.clearTimeout(timer);
    if (text.trim() === '') {
      render([]);
      return;
    }
    timer = window.setTimeout(async () => render(matchFaqs(await loadIndex(), text)), suggestionDelayMs);
  };
}

function suggestionItem(entry: FaqEntry, currentDraftId: () => string): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.className = 'usa-link text-bold';
  link.href = `/faqs/${entry.slug}/`;
  link.textContent = entry.title;
  link.addEventListener('click', () => {
    // keepalive lets the request finish while the browser opens the FAQ.
    void fetch('/api/support/faq-openings', {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ draftId: currentDraftId(), slug: entry.slug }),
    }).catch(() => undefined);
  });
  const summary = document.createElement('span');
  summary.className = 'support-suggestion-summary';
  summary.textContent = entry.summary;
  item.append(link, summary);
  return item;
}
