import { isDeepStrictEqual } from 'node:util';

import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
/** Marks refs to the request (input) rendering of a component until the final names are known. */
const INPUT_MARK = '~input';

/** Schemas named in the document; kept apart from zod's global registry so contract schemas stay untouched. */
const named = new Map<string, z.ZodType>();
const namedIds = new WeakMap<z.ZodType, string>();

/** Names a schema as `#/components/schemas/<id>`: wherever it appears, the document refers to it. */
export function component<S extends z.ZodType>(id: string, schema: S): S {
  const existing = named.get(id);
  if (existing && existing !== schema) throw new Error(`OpenAPI component ${id} is named twice`);
  named.set(id, schema);
  namedIds.set(schema, id);
  return schema;
}

/** One schema alone, inlined (query and path parameters). */
export function inlineJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  return rest;
}

/**
 * Collects the request and response schemas of a document and renders them as components. Zod renders a
 * schema differently as input (defaults optional, no `additionalProperties: false` from stripping) and as
 * output; a named component whose two renderings are equal appears once, otherwise as `<id>` and `<id>Input`.
 */
export class SchemaComponents {
  private readonly inputs = new Map<string, z.ZodType>();
  private readonly outputs = new Map<string, z.ZodType>();

  input(schema: z.ZodType, fallbackId: string): { $ref: string } {
    return { $ref: `${COMPONENT_PREFIX}${idIn(this.inputs, schema, fallbackId)}${INPUT_MARK}` };
  }

  output(schema: z.ZodType, fallbackId: string): { $ref: string } {
    return { $ref: `${COMPONENT_PREFIX}${idIn(this.outputs, schema, fallbackId)}` };
  }

  /** The components in use, and a function that rewrites the provisional input refs anywhere in the document. */
  render(): { schemas: Record<string, JsonSchema>; finalRef(ref: string): string } {
    const output = convert(this.outputs, 'output', '');
    const input = convert(this.inputs, 'input', INPUT_MARK);
    const outputUsed = reachable(output, [...this.outputs.keys()]);
    const inputUsed = reachable(input, [...this.inputs.keys()]);
    const shared = sharedIds(input, output, inputUsed, outputUsed);
    const finalId = (id: string) => (shared.has(id) || !outputUsed.has(id) ? id : `${id}Input`);
    const finalRef = (ref: string) =>
      ref.startsWith(COMPONENT_PREFIX) && ref.endsWith(INPUT_MARK)
        ? `${COMPONENT_PREFIX}${finalId(idOf(ref))}`
        : ref;
    const schemas: Record<string, JsonSchema> = {};
    for (const id of outputUsed) schemas[id] = output[id];
    for (const id of inputUsed) {
      if (!shared.has(id)) schemas[finalId(id)] = rewriteRefs(input[id], finalRef) as JsonSchema;
    }
    return { schemas, finalRef };
  }
}

/** A schema used by several routes keeps the id it got first. */
function idIn(collected: Map<string, z.ZodType>, schema: z.ZodType, fallbackId: string): string {
  const id = namedIds.get(schema) ?? [...collected].find(([, known]) => known === schema)?.[0] ?? fallbackId;
  collected.set(id, schema);
  return id;
}

function idOf(ref: string): string {
  const id = ref.slice(COMPONENT_PREFIX.length);
  return id.endsWith(INPUT_MARK) ? id.slice(0, -INPUT_MARK.length) : id;
}

/** The ids the roots use, directly or through other components. */
function reachable(schemas: Record<string, JsonSchema>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (seen.has(id) || !(id in schemas)) continue;
    seen.add(id);
    pending.push(...refsOf(schemas[id]).map(idOf));
  }
  return seen;
}

function convert(extra: Map<string, z.ZodType>, io: 'input' | 'output', mark: string) {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of [...named, ...extra]) if (!registry.has(schema)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: (id) => `${COMPONENT_PREFIX}${id}${mark}`,
  });
  const rendered: Record<string, JsonSchema> = {};
  for (const [id, { $schema: _schema, $id: _id, ...schema }] of Object.entries(schemas))
    rendered[id] = schema;
  return rendered;
}

/** Ids used both ways whose renderings are equal, counting only refs to ids that are shared too. */
function sharedIds(
  input: Record<string, JsonSchema>,
  output: Record<string, JsonSchema>,
  inputUsed: Set<string>,
  outputUsed: Set<string>,
): Set<string> {
  const unmark = (ref: string) => `${COMPONENT_PREFIX}${idOf(ref)}`;
  const shared = new Set(
    [...inputUsed].filter(
      (id) => outputUsed.has(id) && isDeepStrictEqual(rewriteRefs(input[id], unmark), output[id]),
    ),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of shared) {
      const target = refsOf(input[id]).map(idOf);
      if (target.some((used) => outputUsed.has(used) && !shared.has(used))) {
        shared.delete(id);
        changed = true;
      }
    }
  }
  return shared;
}

export function rewriteRefs(value: unknown, rewrite: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, rewrite));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) =>
      key === '$ref' && typeof item === 'string' ? [key, rewrite(item)] : [key, rewriteRefs(item, rewrite)],
    ),
  );
}

export function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsOf(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item);
      else refsOf(item, found);
    }
  }
  return found;
}
