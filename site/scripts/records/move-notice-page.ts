/**
 * /records/move-notice/?msix=MSIX_ID: a person with records access tells
 * another state that the child is moving there. The API emails that state's
 * coordinators with the MSIX ID only.
 */
import { ApiError, callApi } from '../account/api';
import { describeState } from '../account/labels';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { readMsixIdParam, requireRecordsAccessOnPage } from './record-format';
import { findElement } from './worklist-shared';

interface SentNotice {
  notice: { id: number; toState: string };
  coordinatorsEmailed: number;
}

export async function startMoveNoticePage(): Promise<void> {
  const session = await openGatedPage();
  if (!session || !requireRecordsAccessOnPage(session)) return;

  const msixId = readMsixIdParam();
  if (!msixId) {
    showErrorAlert(
      findElement('[data-notice-alert]'),
      new ApiError(
        400,
        'invalid_input',
        'Open this page from a consolidated record: the address needs an MSIX ID of 12 digits.',
      ),
    );
    return;
  }

  const form = findElement<HTMLFormElement>('[data-notice-form]');
  form.hidden = false;
  findElement('[data-notice-msix]').textContent = `MSIX ID ${msixId}`;
  const ownState = session.person.state;
  if (ownState) form.querySelector(`#notice-to-state option[value="${ownState}"]`)?.remove();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, async () => {
      clearFormErrors(form);
      if (!checkRequiredFields(form)) return;
      const data = new FormData(form);
      try {
        const result = await callApi<SentNotice>('POST', '/api/move-notices', {
          msixId,
          toState: data.get('toState')?.toString() ?? '',
          toCity: data.get('toCity')?.toString() ?? '',
          expectedArrivalDate: data.get('expectedArrivalDate')?.toString() ?? '',
          comment: data.get('comment')?.toString() ?? '',
        });
        form.hidden = true;
        const state = describeState(result.notice.toState);
        const emailed =
          result.coordinatorsEmailed === 0
            ? `${state} has no active state coordinator in MSIX Assist yet, so nobody was emailed; the notice waits in their list.`
            : `${result.coordinatorsEmailed === 1 ? 'Its state coordinator was' : `Its ${result.coordinatorsEmailed} state coordinators were`} emailed.`;
        const status = findElement<HTMLElement>('[data-notice-status]');
        showStatus(
          status,
          `Move notice sent to ${state}. ${emailed} You see its acknowledgement under the move notices of your state.`,
        );
        status.setAttribute('tabindex', '-1');
        status.focus();
      } catch (error) {
        showFormError(form, error);
      }
    });
  });
}
