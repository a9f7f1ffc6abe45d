import { z } from 'zod';

/** `true` or `false` in a query string; absent means "either". */
export const OptionalQueryBoolean = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .optional();

function withoutDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
}

/**
 * A PATCH body over an input shape: every field optional and without its default, so a field left out keeps
 * its stored value (a default would silently reset it). The service merges and validates the whole.
 */
export function changesOf(shape: Record<string, z.ZodType>) {
  const fields = Object.fromEntries(
    Object.entries(shape).map(([name, schema]) => [name, withoutDefault(schema).optional()]),
  );
  return z
    .strictObject(fields)
    .refine((body) => Object.keys(body).length > 0, { message: 'send at least one field to change' });
}
