import type { ZodError, ZodType, ZodTypeDef } from 'zod';
import { AppError } from '../errors';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A 400 error that lists every invalid field. */
export class ValidationError extends AppError {
  constructor(readonly problems: FieldProblem[]) {
    super(400, 'invalid_input', problems.map((problem) => `${problem.field}: ${problem.message}`).join(' '));
  }
}

/** Parses input with a zod schema, or throws a ValidationError that names each field and its problem. */
export function parseInput<Output, Input>(schema: ZodType<Output, ZodTypeDef, Input>, input: unknown): Output {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(describeZodError(result.error));
  return result.data;
}

function describeZodError(error: ZodError): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    if (issue.code === 'invalid_type' && issue.received === 'undefined') return { field, message: 'is required.' };
    if (issue.code === 'invalid_enum_value') return { field, message: `must be one of ${issue.options.join(', ')}.` };
    return { field, message: issue.message.endsWith('.') ? issue.message : `${issue.message}.` };
  });
}
