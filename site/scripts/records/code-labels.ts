/**
 * Words for the codes that states send in the records upload format, so the
 * record pages show "Birth certificate (1004)" rather than a bare "1004".
 * The four-digit codes are the NCES element codes of the MSIX data elements.
 */

export const birthDateVerificationLabels: Record<string, string> = {
  '1003': 'Baptismal or church certificate',
  '1004': 'Birth certificate',
  '1005': 'Family Bible entry',
  '1006': 'Hospital certificate',
  '1007': 'Parent’s affidavit',
  '1008': 'Passport',
  '1009': 'Physician’s certificate',
  '1010': 'Previously verified school records',
  '1011': 'State-issued ID',
  '1012': 'Driver’s license',
  '1013': 'Immigration document or visa',
  '2382': 'Life insurance policy',
  '3423': 'Other official document',
  '3424': 'Other non-official document',
  '9999': 'Other',
};

export const termTypeLabels: Record<string, string> = {
  '0827': 'Full school year',
  '0828': 'Semester',
  '0829': 'Trimester',
  '0830': 'Quarter',
  '0832': 'Mini-term',
  '0833': 'Summer term',
  '0834': 'Intersession',
  '0835': 'Long session',
  '9999': 'Other',
};

export const reportingMethodLabels: Record<string, string> = {
  '0512': 'Achievement or proficiency level',
  '0490': 'Age score',
  '0493': 'Grade equivalent',
  '0144': 'Letter grade',
  '0500': 'Pass-fail',
  '0502': 'Percentile rank',
  '0503': 'Proficiency level',
  '3478': 'Raw score',
  '3479': 'Scale score',
  '0508': 'Stanine',
  '9999': 'Other',
};

export const courseSectionLabels: Record<string, string> = {
  FY: 'Full year',
  A: 'First half',
  B: 'Second half',
};

export const gradeLevelLabels: Record<string, string> = {
  PK: 'Pre-kindergarten',
  KG: 'Kindergarten',
  UG: 'Ungraded',
  OS: 'Out of school',
  ...Object.fromEntries(
    Array.from({ length: 12 }, (_, index) => [String(index + 1).padStart(2, '0'), `Grade ${index + 1}`]),
  ),
};

/**
 * Describes a code in words with the code in brackets, such as "Birth certificate (1004)".
 * An unknown code is shown as it is, and an empty one as an empty string.
 */
export function describeCode(
  labels: Record<string, string>,
  code: string | number | boolean | null | undefined,
): string {
  if (code === null || code === undefined || code === '') return '';
  const value = String(code);
  const label = labels[value];
  return label ? `${label} (${value})` : value;
}
