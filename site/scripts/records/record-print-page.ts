/**
 * The printable consolidated record, /records/record/print/?msix=MSIX_ID,
 * for the family's transfer packet: the record's sections without the
 * linking details or the access log. Reading it writes a records.print
 * audit row with the purpose given on the search or record page.
 */
import { callApi } from '../account/api';
import { showErrorAlert, showStatus } from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import { formatName, readMsixIdParam, recordPath, requireRecordsAccessOnPage } from './record-format';
import { readStoredPurpose } from './record-purpose';
import { renderRecordSections } from './record-sections';
import type { ConsolidatedRecord } from './record-types';

export async function startRecordPrintPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session || !requireRecordsAccessOnPage(session)) return;

  const status = findRequired<HTMLElement>('[data-record-status]');
  const alert = findRequired<HTMLElement>('[data-record-alert]');
  const msixId = readMsixIdParam();
  if (!msixId) {
    showStatus(
      status,
      'This address has no MSIX ID. Open the record from the Student records page and choose Print.',
      'info',
    );
    return;
  }
  const purpose = readStoredPurpose();
  if (!purpose) {
    status.replaceChildren(
      createElement('p', {}, [
        'Printing a record is recorded with its purpose. ',
        createElement('a', {
          className: 'usa-link',
          text: 'Open the record',
          attributes: { href: recordPath(msixId) },
        }),
        ', give the purpose, then choose Print.',
      ]),
    );
    return;
  }

  let record: ConsolidatedRecord;
  try {
    record = await callApi<ConsolidatedRecord>('POST', `/api/records/${msixId}/print`, purpose);
  } catch (error) {
    showErrorAlert(alert, error);
    return;
  }

  findRequired<HTMLElement>('[data-record-heading]').textContent =
    `Consolidated record of ${formatName(record.identity.merged)}`;
  document.title = `Printable consolidated record ${record.msixId} | MSIX Assist`;
  findRequired<HTMLElement>('[data-printed-on]').textContent = new Date().toLocaleDateString('en-US', {
    dateStyle: 'long',
  });
  findRequired<HTMLAnchorElement>('[data-record-back]').href = recordPath(record.msixId);
  findRequired<HTMLButtonElement>('[data-print-button]').addEventListener('click', () => window.print());
  renderRecordSections(record);
  findRequired<HTMLElement>('[data-record]').hidden = false;
}
