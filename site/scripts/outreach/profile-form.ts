/** Reads and fills the subscriber details of ProfileFields.astro: name, state, role and topics. */

export interface SubscriberProfile {
  name: string;
  state: string;
  role: string;
  topics: string[];
}

/** Returns the form's details as the API reads them: an empty string for a field left empty. */
export function readProfile(form: HTMLFormElement): SubscriberProfile {
  const data = new FormData(form);
  const text = (name: string): string => String(data.get(name) ?? '').trim();
  return {
    name: text('name'),
    state: text('state'),
    role: text('role'),
    topics: data.getAll('topics').map(String),
  };
}

/** Fills the form from a subscriber as the API returns it, where an empty field is null. */
export function fillProfile(
  form: HTMLFormElement,
  profile: { name?: string | null; state?: string | null; role?: string | null; topics?: readonly string[] },
): void {
  setValue(form, 'name', profile.name ?? '');
  setValue(form, 'state', profile.state ?? '');
  setValue(form, 'role', profile.role ?? '');
  checkValues(form, 'topics', profile.topics ?? []);
}

/** Checks exactly the boxes named `name` whose value is in `values`. */
export function checkValues(form: HTMLFormElement, name: string, values: readonly string[]): void {
  for (const box of form.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="${name}"]`)) {
    box.checked = values.includes(box.value);
  }
}

function setValue(form: HTMLFormElement, name: string, value: string): void {
  const field = form.elements.namedItem(name);
  if (field instanceof HTMLInputElement) field.value = value;
  if (field instanceof HTMLSelectElement) {
    field.value = [...field.options].some((option) => option.value === value) ? value : '';
  }
}
