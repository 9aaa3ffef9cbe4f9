/** Messages about newsletter subscriptions. */
import { paragraph, render, type RenderedMessage } from './blocks';

/**
 * Renders the double opt-in message. It never repeats the name typed into the
 * sign-up form: anyone can type any address there, and the name would let
 * them put their own text into a message sent to someone else.
 */
export function renderSubscriptionConfirmation(options: { link: string; validDays: number }): RenderedMessage {
  const { link, validDays } = options;
  return render('Confirm your subscription to the MSIX newsletter', [
    paragraph('Hello,'),
    paragraph(
      'Someone, probably you, asked to receive the quarterly newsletter of the MSIX technical-assistance program at this address. To start your subscription, open this link:',
    ),
    { kind: 'link', href: link, label: 'Confirm my subscription' },
    paragraph(
      `The link works once and expires in ${validDays} days. If it has expired, sign up again on the newsletter page.`,
    ),
    paragraph(
      'If you did not ask for this, ignore this message: you will not receive the newsletter unless you open the link.',
    ),
    paragraph('MSIX Assist, the MSIX technical-assistance portal'),
  ]);
}
