/**
 * The purpose a person gives for searching or opening student records. It is
 * written to the audit log with every search, view and print.
 */
import { z } from 'zod';
import { accessPurposes, purposeTextMaxLength, type AccessPurpose } from './purpose-labels';

/** Fields `purpose` and `purposeText`; `purposeText` is required when the purpose is "other". */
export const purposeFields = {
  purpose: z.enum(accessPurposes),
  purposeText: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.string().trim().max(purposeTextMaxLength, `must be at most ${purposeTextMaxLength} characters`).optional(),
  ),
};

export const purposeSchema = z.object(purposeFields).strict().superRefine(requireOtherText);

export function requireOtherText(
  value: { purpose: AccessPurpose; purposeText?: string | undefined },
  context: z.RefinementCtx,
) {
  if (value.purpose === 'other' && !value.purposeText) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['purposeText'],
      message: 'is required when the purpose is Other; say in a few words why you need the record',
    });
  }
}

/**
 * Formats the purpose for the audit row's detail: the purpose code, and for
 * "other" the person's own words, with line breaks flattened.
 */
export function describePurpose(value: { purpose: AccessPurpose; purposeText?: string | undefined }): string {
  if (value.purpose !== 'other') return `purpose=${value.purpose}`;
  return `purpose=other: ${(value.purposeText ?? '').replace(/\s+/g, ' ')}`;
}

/** Reads the purpose back from an audit row's detail, for the access log. */
export function readPurpose(detail: string | null): { purpose: string; purposeText: string | null } {
  const match = /^purpose=([a-z_]+)(?:: (.*))?$/.exec(detail ?? '');
  if (!match) return { purpose: 'unknown', purposeText: null };
  return { purpose: match[1] ?? 'unknown', purposeText: match[2] ?? null };
}
