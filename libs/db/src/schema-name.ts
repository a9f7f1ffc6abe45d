const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names end up inside SQL identifiers, so only plain lowercase names are accepted. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `schema "${schema}" is invalid: use 1-63 characters of a-z, 0-9 and _, not starting with a digit`,
    );
  }
  return schema;
}
