/** The purposes a person can give for records access, with their labels; shared by the API and the pages. */
export const accessPurposes = ['enrollment', 'placement', 'credit_accrual', 'health', 'data_quality', 'other'] as const;
export type AccessPurpose = (typeof accessPurposes)[number];

export const accessPurposeLabels: Record<AccessPurpose, string> = {
  enrollment: 'Enrollment',
  placement: 'Placement',
  credit_accrual: 'Credit accrual',
  health: 'Health',
  data_quality: 'Data quality',
  other: 'Other',
};

/** Maximum length of the text that explains an "other" purpose. */
export const purposeTextMaxLength = 200;
