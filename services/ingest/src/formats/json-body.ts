import { badRequest } from '../intake/intake.errors';

/** JSON text or UTF-8 bytes → value; anything unparsable is a 400 that says where it broke. */
export function parseJson(body: string | Uint8Array): unknown {
  const text =
    typeof body === 'string'
      ? body
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.length === 0) throw badRequest('body is empty: expected a JSON document');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`body is not valid JSON: ${(error as Error).message}`);
  }
}
