import { z } from 'zod';

const SUBJECT_TOKEN = /^[A-Za-z0-9_\-:@~+=]+$/;
export const MAX_ID_LENGTH = 128;

export class InvalidIdError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(
      `${field} "${value}" cannot be used in a subject: use 1-${MAX_ID_LENGTH} characters without ".", "*", ">" or whitespace`,
    );
    this.name = 'InvalidIdError';
  }
}

export function isSubjectToken(value: string): boolean {
  return value.length > 0 && value.length <= MAX_ID_LENGTH && SUBJECT_TOKEN.test(value);
}

/** Returns the id unchanged when it is safe as one NATS subject token, throws otherwise. */
export function sanitiseId(value: string, field = 'id'): string {
  if (!isSubjectToken(value)) throw new InvalidIdError(field, value);
  return value;
}

export const SubjectId = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .regex(SUBJECT_TOKEN, 'must not contain ".", "*", ">" or whitespace');
