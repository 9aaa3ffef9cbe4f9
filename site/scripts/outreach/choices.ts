/** Choices that the outreach forms offer, built from the same lists the API validates against. */
import { stateCodes } from '../../../api/shared/states';
import { stateNames } from '../account/labels';
import { audiences, topics } from '../../lib/taxonomy';

export interface Choice {
  value: string;
  label: string;
}

export const stateChoices: Choice[] = stateCodes.map((code) => ({
  value: code,
  label: `${stateNames[code]} (${code})`,
}));

/** Roles are the audiences of the content taxonomy, such as "Data administrators". */
export const roleChoices: Choice[] = audiences.map((audience) => ({ value: audience.id, label: audience.label }));

export const topicChoices: Choice[] = topics.map((topic) => ({ value: topic.id, label: topic.label }));
