/** Messages about accounts: invitations and password resets. Plain text first; the HTML part says the same. */

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export function renderInvitation(options: {
  displayName: string;
  inviterName: string;
  link: string;
  roleLabel: string;
  validHours: number;
}): RenderedMessage {
  const { displayName, inviterName, link, roleLabel, validHours } = options;
  const subject = 'Your MSIX Assist account: set your password';
  const lines = [
    `Hello ${displayName},`,
    '',
    `${inviterName} has created an MSIX Assist account for you as ${roleLabel}.`,
    'To start, open this link and choose a password:',
    '',
    link,
    '',
    `The link works once and expires in ${validHours} hours. If it has expired, ask ${inviterName} to send a new invitation.`,
    '',
    'If you did not expect this message, you can ignore it: no account opens until a password is set.',
    '',
    'MSIX Assist, the MSIX technical-assistance portal',
  ];
  return { subject, text: lines.join('\n'), html: toHtml(lines, link) };
}

export function renderPasswordReset(options: {
  displayName: string;
  link: string;
  validMinutes: number;
}): RenderedMessage {
  const { displayName, link, validMinutes } = options;
  const subject = 'Reset your MSIX Assist password';
  const lines = [
    `Hello ${displayName},`,
    '',
    'Someone, probably you, asked to reset the password of your MSIX Assist account. To choose a new password, open this link:',
    '',
    link,
    '',
    `The link works once and expires in ${validMinutes} minutes. It stops working as soon as your password changes.`,
    '',
    'If you did not ask for this, ignore this message: your password stays as it is.',
    '',
    'MSIX Assist, the MSIX technical-assistance portal',
  ];
  return { subject, text: lines.join('\n'), html: toHtml(lines, link) };
}

function toHtml(lines: string[], link: string): string {
  const paragraphs = lines
    .join('\n')
    .split('\n\n')
    .map((paragraph) => {
      if (paragraph === link) return `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`;
      return `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`;
    });
  return `<!doctype html><html lang="en"><body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5;">${paragraphs.join('')}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
