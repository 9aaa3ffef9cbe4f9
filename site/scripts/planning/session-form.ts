/**
 * The session form (SessionForm.astro). It records a new session with
 * POST /api/planning-sessions, or changes an open one with PATCH. When it
 * changes a session, it lists only the recommendations that are not yet
 * milestones: the API keeps the converted ones whatever the form sends.
 */
import { ApiError, callApi, type FieldProblem } from '../account/api';
import { clearFormErrors, showFieldProblems, showFormError, whileSubmitting } from '../account/form-feedback';
import { findRequired } from '../plans/dom';
import { plural } from '../../lib/plural';
import { formatDay } from '../plans/labels';
import { startRepeatableList, type RepeatableList } from './repeatable-list';
import type { SessionInput, SessionView } from './types';

/** Limits of the API (api/plans/sessions.ts). */
const maxParticipants = 50;
const maxRecommendations = 50;

export type SaveKind = 'recorded' | 'changed';

export interface SessionFormOptions {
  state: string;
  /** Shows the saved session; `kind` is "recorded" for a new session and "changed" for an edited one. */
  onSaved: (view: SessionView, kind: SaveKind) => Promise<void>;
  /** Called after Cancel has put the form back to recording a new session. */
  onCancelled: () => void;
}

export interface SessionForm {
  /** Fills the form with a session to change, and moves focus to the form's heading. */
  openChange: (view: SessionView) => void;
}

interface FormElements {
  form: HTMLFormElement;
  heading: HTMLElement;
  intro: HTMLElement;
  submit: HTMLButtonElement;
  cancelItem: HTMLElement;
  keptNote: HTMLElement;
  participants: RepeatableList;
  recommendations: RepeatableList;
}

export function startSessionForm(options: SessionFormOptions): SessionForm {
  const form = findRequired<HTMLFormElement>('[data-session-form]');
  const elements: FormElements = {
    form,
    heading: findRequired('[data-session-form-heading]'),
    intro: findRequired('[data-session-form-intro]', form),
    submit: findRequired('[data-session-submit]', form),
    cancelItem: findRequired('[data-session-cancel-item]', form),
    keptNote: findRequired('[data-kept-note]', form),
    participants: startRepeatableList({
      root: findRequired('[data-repeatable="participants"]', form),
      itemLabel: (position) => `Role of participant ${position}`,
      itemName: (position) => `participant ${position}`,
      maxItems: maxParticipants,
      maxLength: 200,
      fullMessage: `A session lists at most ${maxParticipants} participant roles.`,
    }),
    recommendations: startRepeatableList({
      root: findRequired('[data-repeatable="recommendations"]', form),
      itemLabel: (position) => `Recommendation ${position}`,
      itemName: (position) => `recommendation ${position}`,
      maxItems: maxRecommendations,
      maxLength: 500,
      fullMessage: `A session holds at most ${maxRecommendations} recommendations.`,
    }),
  };
  const initialIntro = elements.intro.textContent ?? '';
  let changing: SessionView | undefined;

  const showRecordMode = () => {
    changing = undefined;
    form.reset();
    clearFormErrors(form);
    elements.participants.setValues([]);
    elements.recommendations.setValues([]);
    elements.heading.textContent = 'Record a session';
    elements.intro.textContent = initialIntro;
    elements.submit.textContent = 'Record the session';
    elements.cancelItem.hidden = true;
    elements.keptNote.hidden = true;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, async () => {
      const sent = readInput(elements, options.state);
      if (!sent) return;
      const target = changing;
      try {
        const view = target
          ? await callApi<SessionView>('PATCH', `/api/planning-sessions/${target.session.id}`, sent.input)
          : await callApi<SessionView>('POST', '/api/planning-sessions', sent.input);
        showRecordMode();
        await options.onSaved(view, target ? 'changed' : 'recorded');
      } catch (error) {
        showFormError(form, translateListFields(error, sent));
      }
    });
  });

  findRequired('[data-session-cancel]', form).addEventListener('click', () => {
    showRecordMode();
    options.onCancelled();
  });

  showRecordMode();
  return {
    openChange: (view) => {
      showRecordMode();
      changing = view;
      fillForm(elements, view);
      elements.heading.focus();
    },
  };
}

function fillForm(elements: FormElements, view: SessionView): void {
  const { form } = elements;
  const { session } = view;
  const converted = view.recommendations.filter((recommendation) => recommendation.milestoneId !== null);
  setValue(form, 'sessionDate', session.sessionDate);
  setValue(form, 'place', session.place);
  setValue(form, 'findings', session.findings);
  elements.participants.setValues(session.participants);
  elements.recommendations.setValues(
    view.recommendations
      .filter((recommendation) => recommendation.milestoneId === null)
      .map((recommendation) => recommendation.text),
  );

  elements.heading.textContent = `Change the session of ${formatDay(session.sessionDate)}`;
  elements.intro.textContent = 'Change what needs changing, then select Save changes.';
  elements.submit.textContent = 'Save changes';
  elements.cancelItem.hidden = false;
  elements.keptNote.hidden = converted.length === 0;
  elements.keptNote.textContent =
    converted.length === 1
      ? 'The recommendation that is already a milestone is not listed here and stays as it is. Change that milestone on the plan page.'
      : `The ${plural(converted.length, 'recommendation')} that are already milestones are not listed here and stay as they are. Change those milestones on the plan page.`;
}

function setValue(form: HTMLFormElement, name: string, value: string): void {
  const field = form.elements.namedItem(name);
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.value = value;
}

interface SentInput {
  input: SessionInput;
  /** The inputs whose values went into `participants` and `recommendations`, in the same order. */
  participantInputs: HTMLInputElement[];
  recommendationInputs: HTMLInputElement[];
}

/** Reads and checks the form; shows the problems and returns undefined when something is missing or too short. */
function readInput(elements: FormElements, state: string): SentInput | undefined {
  const { form } = elements;
  clearFormErrors(form);
  const participants = elements.participants.filled();
  const recommendations = elements.recommendations.filled();
  const firstParticipant = elements.participants.inputs()[0];

  const data = new FormData(form);
  const sessionDate = String(data.get('sessionDate') ?? '');
  const place = String(data.get('place') ?? '').trim();
  const problems: FieldProblem[] = [];
  if (!sessionDate) problems.push({ field: 'sessionDate', message: 'Enter the date of the session.' });
  if (!place) problems.push({ field: 'place', message: 'Enter where the session was held.' });
  else if (place.length < 2) problems.push({ field: 'place', message: 'The place needs at least 2 characters.' });
  if (participants.length === 0) {
    const field = firstParticipant?.name ?? 'participants';
    problems.push({ field, message: "Enter at least one participant's role, such as State MEP director." });
  }
  participants.forEach((participant, index) => {
    if (participant.value.length < 2) {
      problems.push({
        field: participant.input.name,
        message: `Role of participant ${index + 1} needs at least 2 characters.`,
      });
    }
  });
  for (const recommendation of recommendations) {
    if (recommendation.value.length < 3) {
      const label = recommendation.input.labels?.[0]?.textContent ?? 'A recommendation';
      problems.push({ field: recommendation.input.name, message: `${label} needs at least 3 characters.` });
    }
  }
  if (problems.length > 0) {
    showFieldProblems(form, problems);
    return undefined;
  }

  return {
    input: {
      state,
      sessionDate,
      place,
      participants: participants.map((participant) => participant.value),
      findings: String(data.get('findings') ?? '').trim(),
      recommendations: recommendations.map((recommendation) => recommendation.value),
    },
    participantInputs: participants.map((participant) => participant.input),
    recommendationInputs: recommendations.map((recommendation) => recommendation.input),
  };
}

/**
 * Renames the API's list fields after the inputs they concern, so the form
 * marks the right one. The API names items such as "participants.2" by their
 * position among the non-empty items it was sent.
 */
function translateListFields(error: unknown, sent: SentInput): unknown {
  if (!(error instanceof ApiError) || error.fields.length === 0) return error;
  const fields = error.fields.map((problem) => {
    const [list, index] = problem.field.split('.');
    const inputs =
      list === 'participants'
        ? sent.participantInputs
        : list === 'recommendations'
          ? sent.recommendationInputs
          : undefined;
    if (!inputs) return problem;
    const input = index === undefined ? inputs[0] : inputs[Number(index)];
    return input ? { field: input.name, message: problem.message } : problem;
  });
  return new ApiError(error.status, error.code, error.message, fields, error.requestId);
}
