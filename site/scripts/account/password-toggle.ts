/**
 * Show and hide buttons of password fields (PasswordField.astro): each button
 * names its input in aria-controls and switches it between type "password"
 * and "text", changing its own text to say what the next press does.
 */
export function enablePasswordToggles(root: ParentNode = document): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-password-toggle]')) {
    const input = document.getElementById(button.getAttribute('aria-controls') ?? '');
    if (!(input instanceof HTMLInputElement)) continue;

    const showText = button.dataset.showText ?? 'Show password';
    const hideText = button.dataset.hideText ?? 'Hide password';
    button.hidden = false;
    button.addEventListener('click', () => {
      const reveal = input.type === 'password';
      input.type = reveal ? 'text' : 'password';
      button.textContent = reveal ? hideText : showText;
    });
  }
}

/** Puts every password field of the form back to hidden, such as after the form was sent. */
export function hidePasswords(form: HTMLFormElement): void {
  for (const button of form.querySelectorAll<HTMLButtonElement>('[data-password-toggle]')) {
    const input = document.getElementById(button.getAttribute('aria-controls') ?? '');
    if (input instanceof HTMLInputElement) input.type = 'password';
    button.textContent = button.dataset.showText ?? 'Show password';
  }
}
