/** Shows one upload's result: counts, links to the report and the CSV, and the problems table page by page. */
import { callApi } from '../account/api';
import { showErrorAlert } from '../account/form-feedback';
import { describeState, formatDateTime } from '../account/labels';
import { createElement, findRequired } from '../plans/dom';
import { plural } from '../../lib/plural';

export interface UploadSummary {
  id: number;
  state: string;
  source: 'browser' | 'command_line';
  uploadedBy: string | null;
  fileNames: string[];
  status: 'processing' | 'completed' | 'rejected';
  rejectionMessage: string | null;
  studentsReceived: number;
  studentsAccepted: number;
  studentsRejected: number;
  studentsUnchanged: number;
  qualityScore: number | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface UploadStatus {
  upload: UploadSummary;
  progress: {
    phase: 'reading' | 'checking' | 'linking' | 'finished';
    bytesRead: number;
    bytesTotal: number;
    studentsTotal: number;
    studentsChecked: number;
  } | null;
  problemCount: number;
}

interface ProblemPage {
  page: number;
  pageSize: number;
  total: number;
  problems: {
    file: string;
    line: number | null;
    column: string | null;
    rule: string;
    message: string;
    stateStudentId: string | null;
    severity: 'error' | 'warning';
  }[];
}

export async function showUploadResult(status: UploadStatus, moveFocus: boolean): Promise<void> {
  const { upload } = status;
  const section = findRequired<HTMLElement>('[data-result]');
  section.hidden = false;
  findRequired<HTMLElement>('[data-result-id]').textContent = String(upload.id);

  const alert = findRequired<HTMLElement>('[data-result-alert]');
  alert.replaceChildren(resultAlert(upload));

  const counts = findRequired<HTMLElement>('[data-result-counts]');
  const items: [string, string][] = [
    ['State', describeState(upload.state)],
    ['Files', upload.fileNames.join(', ') || 'none'],
    ['Started', formatDateTime(upload.startedAt)],
    ['Students received', upload.studentsReceived.toLocaleString('en-US')],
    ['Accepted (new or changed)', upload.studentsAccepted.toLocaleString('en-US')],
    ['Unchanged (same as on file)', upload.studentsUnchanged.toLocaleString('en-US')],
    ['Rejected', upload.studentsRejected.toLocaleString('en-US')],
    ['Data-quality score', upload.qualityScore === null ? 'none' : `${upload.qualityScore} of 100`],
  ];
  counts.replaceChildren(
    ...items.flatMap(([term, value]) => [createElement('dt', { text: term }), createElement('dd', { text: value })]),
  );

  const links = findRequired<HTMLElement>('[data-result-links]');
  links.replaceChildren(
    createElement('li', {}, [
      createElement('a', {
        className: 'usa-link',
        text: 'Data-quality report of this upload',
        attributes: { href: `/records/quality/?upload=${upload.id}` },
      }),
    ]),
  );
  if (status.problemCount > 0) {
    links.append(
      createElement('li', {}, [
        createElement('a', {
          className: 'usa-link',
          text:
            status.problemCount === 1
              ? 'Download the problem (CSV)'
              : `Download all ${plural(status.problemCount, 'problem')} (CSV)`,
          attributes: { href: `/api/record-uploads/${upload.id}/problems/export`, download: '' },
        }),
      ]),
    );
  }

  const problems = findRequired<HTMLElement>('[data-problems]');
  problems.hidden = status.problemCount === 0;
  findRequired<HTMLElement>('[data-problem-rows]').replaceChildren();
  if (moveFocus) findRequired<HTMLElement>('#result-heading').focus();
  if (status.problemCount > 0) await loadProblems(upload.id, 1);
}

function resultAlert(upload: UploadSummary): HTMLElement {
  let kind = 'success';
  let heading = 'Upload checked';
  let text = `${plural(upload.studentsAccepted, 'student')} saved and linked, ${upload.studentsUnchanged.toLocaleString('en-US')} unchanged and ${upload.studentsRejected.toLocaleString('en-US')} rejected.`;
  if (upload.status === 'rejected') {
    kind = 'error';
    heading = 'Upload rejected';
    text = `${upload.rejectionMessage ?? 'The upload was rejected.'} Nothing from this upload was saved.`;
  } else if (upload.studentsRejected > 0) {
    kind = 'warning';
    heading = 'Some students were rejected';
    text +=
      ' Correct the problems below and upload the files again; students already saved will be recognized as unchanged.';
  }
  return createElement('div', { className: `usa-alert usa-alert--${kind} margin-bottom-3` }, [
    createElement('div', { className: 'usa-alert__body' }, [
      createElement('h3', { className: 'usa-alert__heading', text: heading }),
      createElement('p', { className: 'usa-alert__text', text }),
    ]),
  ]);
}

async function loadProblems(uploadId: number, pageNumber: number): Promise<void> {
  const rows = findRequired<HTMLElement>('[data-problem-rows]');
  const more = findRequired<HTMLButtonElement>('[data-more-problems]');
  let page: ProblemPage;
  try {
    page = await callApi<ProblemPage>('GET', `/api/record-uploads/${uploadId}/problems?page=${pageNumber}`);
  } catch (error) {
    showErrorAlert(findRequired<HTMLElement>('[data-result-alert]'), error);
    return;
  }
  for (const problem of page.problems) {
    rows.append(
      createElement('tr', {}, [
        createElement('td', { text: problem.stateStudentId ?? '' }),
        createElement('td', { text: problem.file }),
        createElement('td', { text: problem.line === null ? '' : String(problem.line) }),
        createElement('td', { text: problem.column ?? '' }),
        createElement('td', { text: problem.severity === 'error' ? 'Error' : 'Warning' }),
        createElement('td', { text: problem.message }),
      ]),
    );
  }
  const shownCount = rows.children.length;
  findRequired<HTMLElement>('[data-problems-summary]').textContent =
    shownCount < page.total
      ? `Showing ${shownCount.toLocaleString('en-US')} of ${page.total.toLocaleString('en-US')} problems. Download the CSV for the full list.`
      : `${plural(page.total, 'problem')}.`;
  more.hidden = shownCount >= page.total;
  more.onclick = () => void loadProblems(uploadId, pageNumber + 1);
}
