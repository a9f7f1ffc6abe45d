import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';

/** What the victim tenant owns, by the kind of id a path or a body names. */
export interface VictimIds {
  tenantId: string;
  slug: string;
  ownerUserId: string;
  userId: string;
  hostId: string;
  ruleId: string;
  alertId: string;
  channelId: string;
  windowId: string;
  policyId: string;
  apiTokenId: string;
  ingestTokenId: string;
  ssoProviderId: string;
}
export type VictimKind = keyof VictimIds;

export interface Victim {
  /** In the name of everything the victim made: it must never reach the attacker. */
  marker: string;
  /** A part of the marker, searched for by the attacker (an echoed query then never holds the marker). */
  searchTerm: string;
  ids: VictimIds;
  /** Token and password values the victim holds. */
  secrets: string[];
}

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  minItems?: number;
  minimum?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  example?: unknown;
  schema?: Schema;
}

interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

export interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Probe {
  /** `METHOD /path/{template}` as the document names the operation. */
  operation: string;
  /** The operation plus what this probe aims at, for failure messages. */
  label: string;
  method: string;
  url: string;
  body?: { text: string; contentType: string };
  /** The path or the body names one of the victim's resources, so the attacker must be refused. */
  aimsAtVictim: boolean;
  /** No credential is needed: what it answers for a victim's id is public by design or a 404. */
  public: boolean;
  documented: number[];
  /** Victim ids this request carries itself; an answer may echo them. */
  sent: string[];
  /** The same request with unknown ids in place of the victim's, which must be answered alike. */
  control?: Probe;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The path segment before a `{param}` names what the id is of; anything else is taken as a host id. */
const PATH_KINDS: Record<string, VictimKind> = {
  users: 'userId',
  'api-tokens': 'apiTokenId',
  'ingest-tokens': 'ingestTokenId',
  'sso-providers': 'ssoProviderId',
  oidc: 'ssoProviderId',
  saml: 'ssoProviderId',
  tenants: 'tenantId',
  status: 'slug',
  hosts: 'hostId',
  'alert-rules': 'ruleId',
  alerts: 'alertId',
  channels: 'channelId',
  deliveries: 'channelId',
  'maintenance-windows': 'windowId',
  'escalation-policies': 'policyId',
};

/**
 * Body fields that refer to another resource of the caller's tenant. Host ids are left alone: they are
 * agent-chosen names within a tenant, so another tenant may well have a host of the same id.
 */
const BODY_KINDS: Record<string, VictimKind> = {
  tenantId: 'tenantId',
  userId: 'userId',
  ruleId: 'ruleId',
  alertId: 'alertId',
  channelId: 'channelId',
  channelIds: 'channelId',
  escalationPolicyId: 'policyId',
};

/** Query values the attacker fills in to find the victim's data through a list's filters. */
function queryTargets(victim: Victim): Record<string, string> {
  return {
    hostId: victim.ids.hostId,
    ruleId: victim.ids.ruleId,
    alertId: victim.ids.alertId,
    channelId: victim.ids.channelId,
    actorId: victim.ids.ownerUserId,
    q: victim.searchTerm,
    tag: victim.searchTerm,
    name: 'cpu.usage_pct',
    // The start of both event streams: a replay of everything, the victim's events included.
    lastEventId: '0.0',
  };
}

export function operationsOf(document: OpenApiDocument): { key: string; path: string; method: string }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      key: `${method.toUpperCase()} ${path}`,
      path,
      method: method.toUpperCase(),
    })),
  );
}

/**
 * The requests an attacker sends for one operation: the documented example aimed at the victim's ids,
 * the list's filters aimed at them, and one request per body field that can name a victim's resource.
 */
export function probesOf(input: {
  document: OpenApiDocument;
  key: string;
  victim: Victim;
  /** Ids of the attacker's own resources, for the path of a probe whose body names the victim's. */
  attacker: Partial<VictimIds>;
}): Probe[] {
  const { document, key, victim, attacker } = input;
  const [method, template] = key.split(' ') as [string, string];
  const operation = document.paths[template][method.toLowerCase()];
  const samples = new Samples(document);
  const parameters = operation.parameters ?? [];
  const targets = queryTargets(victim);
  const documented = Object.keys(operation.responses).map(Number);
  const isPublic = !operation.security?.length;
  const query = (names: Parameter[]) =>
    names.map(
      (parameter) =>
        [
          parameter.name,
          String(targets[parameter.name] ?? parameter.example ?? samples.of(parameter.schema ?? {})),
        ] as const,
    );
  const required = query(parameters.filter((parameter) => parameter.in === 'query' && parameter.required));
  const filters = query(
    parameters.filter(
      (parameter) => parameter.in === 'query' && !parameter.required && parameter.name in targets,
    ),
  );
  const [contentType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
  const example = media
    ? (media.example ?? Object.values(media.examples ?? {})[0]?.value ?? samples.of(media.schema ?? {}))
    : undefined;

  const build = (input: {
    label: string;
    ids: (kind: VictimKind) => string;
    query: (readonly [string, string])[];
    body: unknown;
  }): Probe => {
    const pathIds: string[] = [];
    const path = template.replace(/\{([^}]+)\}/g, (_, _name: string, offset: number) => {
      const segment = template.slice(0, offset).split('/').filter(Boolean).at(-1) ?? '';
      const id = input.ids(PATH_KINDS[segment] ?? 'hostId');
      pathIds.push(id);
      return encodeURIComponent(id);
    });
    const search = new URLSearchParams(
      input.query.map(([name, value]): [string, string] => [name, value]),
    ).toString();
    const text =
      input.body === undefined
        ? undefined
        : contentType === 'application/x-www-form-urlencoded'
          ? new URLSearchParams(input.body as Record<string, string>).toString()
          : JSON.stringify(input.body);
    const carried = [...pathIds, ...input.query.map(([, value]) => value), text ?? ''];
    const own = Object.values(victim.ids);
    return {
      operation: key,
      label: `${key}${input.label}`,
      method,
      url: search ? `${path}?${search}` : path,
      body: text === undefined ? undefined : { text, contentType: contentType! },
      aimsAtVictim: false,
      public: isPublic,
      documented,
      sent: own.filter((id) => carried.some((value) => value.includes(id))),
    };
  };
  // A body naming the victim's resource goes to the attacker's own one of the path where it has one, so
  // that it is the reference the gateway must refuse, not the path.
  const aimed = (label: string, body: unknown, bodyAimed: boolean): Probe => {
    const pathIds = (kind: VictimKind) => (bodyAimed && attacker[kind]) || victim.ids[kind];
    const unknownIds = unknownIdsFor(victim);
    const probe = build({ label, ids: pathIds, query: required, body });
    const control = build({
      label: `${label} (unknown ids)`,
      ids: (kind) => (bodyAimed && attacker[kind]) || unknownIds[kind],
      query: required,
      body: bodyAimed ? replaceIds(body, victim.ids, unknownIds) : body,
    });
    const aimsAtVictim = bodyAimed || probe.url.split('?')[0] !== control.url.split('?')[0];
    return { ...probe, aimsAtVictim, control: aimsAtVictim ? control : undefined };
  };

  const probes = [aimed('', example, false)];
  if (filters.length > 0) {
    probes.push(
      build({
        label: ` ?${filters.map(([name]) => name).join('&')}`,
        ids: (kind) => victim.ids[kind],
        query: [...required, ...filters],
        body: example,
      }),
    );
  }
  for (const field of referenceFields(samples.resolve(media?.schema ?? {}), samples)) {
    const body = withReference(example, field, victim.ids[field.kind]);
    probes.push(aimed(` body ${field.path.join('.')}`, body, true));
  }
  return probes;
}

/** Notes the id of what the attacker made with a 2xx POST to a collection, to aim its later probes at. */
export function noteCreated(probe: Probe, reply: Reply, attacker: Partial<VictimIds>): void {
  const template = probe.operation.split(' ')[1];
  const kind = PATH_KINDS[template.split('/').at(-1) ?? ''];
  const body = reply.body as { id?: unknown; user?: { id?: unknown } } | undefined;
  const id = body?.id ?? body?.user?.id;
  if (probe.method === 'POST' && kind && reply.status < 300 && typeof id === 'string') attacker[kind] = id;
}

function unknownIdsFor(victim: Victim): VictimIds {
  const ids = Object.fromEntries(Object.keys(victim.ids).map((kind) => [kind, randomUUID()]));
  return { ...ids, slug: `t-${randomBytes(4).toString('hex')}` } as VictimIds;
}

function replaceIds(body: unknown, from: VictimIds, to: VictimIds): unknown {
  let text = JSON.stringify(body);
  for (const kind of Object.keys(from) as VictimKind[]) text = text.split(from[kind]).join(to[kind]);
  return JSON.parse(text);
}

interface ReferenceField {
  path: string[];
  kind: VictimKind;
  many: boolean;
  /** Samples of the array items on the way, by their path, for a body whose example has none. */
  items: Record<string, unknown>;
}

function referenceFields(
  schema: Schema,
  samples: Samples,
  path: string[] = [],
  items: Record<string, unknown> = {},
): ReferenceField[] {
  if (path.length > 6) return [];
  const found: ReferenceField[] = [];
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    found.push(...referenceFields(samples.resolve(variant), samples, path, items));
  }
  if (schema.items) {
    const item = samples.resolve(schema.items);
    const inner = [...path, '[]'];
    found.push(...referenceFields(item, samples, inner, { ...items, [inner.join('.')]: samples.of(item) }));
  }
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const resolved = samples.resolve(property);
    const kind = BODY_KINDS[name];
    if (kind) found.push({ path: [...path, name], kind, many: resolved.type === 'array', items });
    else found.push(...referenceFields(resolved, samples, [...path, name], items));
  }
  const seen = new Set<string>();
  return found.filter((field) => !seen.has(field.path.join('.')) && !!seen.add(field.path.join('.')));
}

/** The body with the field (through `[]` for every item of an array) set to the victim's id. */
function withReference(body: unknown, field: ReferenceField, id: string): unknown {
  const copy = structuredClone(body ?? {});
  const set = (target: unknown, done: string[], rest: string[]): void => {
    if (typeof target !== 'object' || target === null) return;
    const [head, ...tail] = rest;
    if (head === '[]') {
      if (Array.isArray(target)) target.forEach((item) => set(item, [...done, head], tail));
      return;
    }
    const record = target as Record<string, unknown>;
    if (tail.length === 0) {
      record[head] = field.many ? [id] : id;
      return;
    }
    const next = [...done, head];
    record[head] ??= tail[0] === '[]' ? [structuredClone(field.items[[...next, '[]'].join('.')] ?? {})] : {};
    set(record[head], next, tail);
  };
  set(copy, [], field.path);
  return copy;
}

/** Smallest valid-looking value of a JSON Schema, for bodies and parameters without an example. */
class Samples {
  constructor(private readonly document: OpenApiDocument) {}

  resolve(schema: Schema): Schema {
    let resolved = schema;
    while (resolved.$ref) resolved = this.document.components.schemas[resolved.$ref.split('/').pop()!] ?? {};
    return resolved;
  }

  of(input: Schema): unknown {
    const schema = this.resolve(input);
    if (schema.example !== undefined) return schema.example;
    if (schema.examples?.length) return schema.examples[0];
    if (schema.const !== undefined) return schema.const;
    if (schema.enum?.length) return schema.enum[0];
    if (schema.default !== undefined) return schema.default;
    const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
    if (variant) return this.of(variant);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === 'object' || schema.properties) {
      return Object.fromEntries(
        (schema.required ?? []).map((name) => [name, this.of(schema.properties?.[name] ?? {})]),
      );
    }
    if (type === 'array')
      return Array.from({ length: schema.minItems ?? 0 }, () => this.of(schema.items ?? {}));
    if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
    if (type === 'boolean') return true;
    if (type === 'null') return null;
    if (schema.format === 'uuid') return randomUUID();
    if (schema.format === 'date-time') return new Date().toISOString();
    if (schema.pattern?.includes('\\d{6}')) return '000000';
    return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
  }
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: { code?: string; errors?: unknown[] } | undefined;
}

/**
 * Sends a probe with a bearer token. An event stream is read until its first heartbeat (or five seconds)
 * and then dropped, so a stream that would never end is read for a moment only.
 */
export function send(base: string, probe: Probe, token: string): Promise<Reply> {
  const { hostname, port } = new URL(base);
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (probe.body) headers['content-type'] = probe.body.contentType;
  return new Promise((resolve, reject) => {
    let settled = false;
    const request = httpRequest(
      { hostname, port, path: probe.url, method: probe.method, headers },
      (response) => {
        const chunks: Buffer[] = [];
        const streaming = String(response.headers['content-type'] ?? '').includes('text/event-stream');
        const finish = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Reply['body'];
          try {
            body = text && !streaming ? (JSON.parse(text) as Reply['body']) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body });
          if (streaming) request.destroy();
        };
        const timer = setTimeout(finish, streaming ? 5_000 : 60_000);
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (streaming && Buffer.concat(chunks).toString('utf8').includes(': heartbeat')) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
      },
    );
    request.on('error', (error) => {
      if (!settled) reject(error);
    });
    if (probe.body) request.write(probe.body.text);
    request.end();
  });
}
