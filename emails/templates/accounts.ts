/** Messages about accounts: invitations and password resets. */
import { paragraph, render, type RenderedMessage } from './blocks';

export type { RenderedMessage } from './blocks';

const signature = 'MSIX Assist, the MSIX technical-assistance portal';

export function renderInvitation(options: {
  displayName: string;
  inviterName: string;
  link: string;
  roleLabel: string;
  validHours: number;
}): RenderedMessage {
  const { displayName, inviterName, link, roleLabel, validHours } = options;
  return render('Your MSIX Assist account: set your password', [
    paragraph(`Hello ${displayName},`),
    paragraph(
      `${inviterName} has created an MSIX Assist account for you as ${roleLabel}.`,
      'To start, open this link and choose a password:',
    ),
    { kind: 'link', href: link },
    paragraph(
      `The link works once and expires in ${validHours} hours. If it has expired, ask ${inviterName} to send a new invitation.`,
    ),
    paragraph('If you did not expect this message, you can ignore it: no account opens until a password is set.'),
    paragraph(signature),
  ]);
}

export function renderPasswordReset(options: {
  displayName: string;
  link: string;
  validMinutes: number;
}): RenderedMessage {
  const { displayName, link, validMinutes } = options;
  return render('Reset your MSIX Assist password', [
    paragraph(`Hello ${displayName},`),
    paragraph(
      'Someone, probably you, asked to reset the password of your MSIX Assist account. To choose a new password, open this link:',
    ),
    { kind: 'link', href: link },
    paragraph(
      `The link works once and expires in ${validMinutes} minutes. It stops working as soon as your password changes.`,
    ),
    paragraph('If you did not ask for this, ignore this message: your password stays as it is.'),
    paragraph(signature),
  ]);
}
