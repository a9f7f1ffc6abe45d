import { randomBytes, randomUUID } from 'node:crypto';

import {
  createNatsNamespace,
  createTestDatabase,
  expectEventually,
  getJson,
  type NatsTestNamespace,
  type ServiceProcess,
  startServiceProcess,
  TEST_NATS_URL,
  type TestDatabase,
} from '@optralis/testing';

const ROOT = { email: 'root@example.com', password: 'Quiet-Harbour-Lantern-42' };
const OWNER_PASSWORD = 'Violet-Copper-Meadow-77';
const READY = { timeoutMs: 45_000, intervalMs: 200 };

export interface AgentPlatformTenant {
  id: string;
  slug: string;
  owner: { email: string; password: string; accessToken: string };
}

export interface AgentPlatform {
  gatewayUrl: string;
  /** Stays the same across `restartIngest` / `stopIngest` + `startIngest`. */
  ingestUrl: string;
  tenant: AgentPlatformTenant;
  /** An admin API token of `tenant`, for the public REST API. */
  apiToken: string;
  /** An ingest token of `tenant`, for `POST /v1/agent/reports`. */
  ingestToken: string;
  restartIngest(): Promise<void>;
  /** Ingest goes away: its port refuses connections until `startIngest`. */
  stopIngest(): Promise<void>;
  /** Ingest back on the same port, resolved once it is ready. */
  startIngest(): Promise<void>;
  /** The last lines each service printed, for assertion messages. */
  logs(): string;
  close(): Promise<void>;
}

export interface AgentPlatformOptions {
  /** Also run alerting (needed for `/api/v1/alerts` and alert rules). */
  alerting?: boolean;
  /** Extra variables for ingest, e.g. `INGEST_ROLLUP_INTERVAL_SECONDS`. */
  ingestEnv?: Record<string, string>;
}

async function expectReady(child: ServiceProcess): Promise<void> {
  await expectEventually(async () => {
    const ready = await getJson(`${child.url}/ready`);
    if (ready.status !== 200) throw new Error(`not ready: ${ready.text}\n${child.output().slice(-2000)}`);
  }, READY);
}

async function request<T>(input: {
  base: string;
  method: string;
  path: string;
  token?: string;
  body?: unknown;
  expected: number;
}): Promise<T> {
  const response = await fetch(`${input.base}${input.path}`, {
    method: input.method,
    headers: {
      ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(input.token ? { authorization: `Bearer ${input.token}` } : {}),
    },
    body: input.body === undefined ? undefined : JSON.stringify(input.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (response.status !== input.expected) {
    throw new Error(
      `${input.method} ${input.path} answered ${response.status}, not ${input.expected}: ${text}`,
    );
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

async function createTenant(gatewayUrl: string): Promise<AgentPlatformTenant> {
  const root = await expectEventually(
    () =>
      request<{ accessToken: string }>({
        base: gatewayUrl,
        method: 'POST',
        path: '/api/v1/auth/login',
        body: ROOT,
        expected: 200,
      }),
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  const slug = `agent-${randomUUID().slice(0, 8)}`;
  const created = await request<{ tenant: { id: string }; invitation: { token: string } }>({
    base: gatewayUrl,
    method: 'POST',
    path: '/api/v1/tenants',
    token: root.accessToken,
    body: { slug, name: `Tenant ${slug}` },
    expected: 201,
  });
  const email = `owner-${slug}@example.com`;
  await request({
    base: gatewayUrl,
    method: 'POST',
    path: '/api/v1/auth/invitations/accept',
    body: { token: created.invitation.token, email, password: OWNER_PASSWORD },
    expected: 200,
  });
  const owner = await request<{ accessToken: string }>({
    base: gatewayUrl,
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { email, password: OWNER_PASSWORD },
    expected: 200,
  });
  return {
    id: created.tenant.id,
    slug,
    owner: { email, password: OWNER_PASSWORD, accessToken: owner.accessToken },
  };
}

/**
 * auth, ingest and the gateway (and alerting when asked) as built processes on a fresh database and
 * NATS namespace, with one tenant whose owner made an API token and an ingest token through the API.
 * Build first: `npx nx run-many -t build -p @optralis/auth @optralis/ingest @optralis/gateway @optralis/alerting`.
 */
export async function startAgentPlatform(options: AgentPlatformOptions = {}): Promise<AgentPlatform> {
  const database: TestDatabase = await createTestDatabase();
  const nats: NatsTestNamespace = await createNatsNamespace();
  const env = {
    NATS_URL: TEST_NATS_URL,
    NATS_NAMESPACE: nats.namespace,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
  };
  const running = new Map<string, ServiceProcess>();
  const start = async (service: string, extra: Record<string, string>, port?: number) => {
    const child = await startServiceProcess({
      service,
      portVariable: `${service.toUpperCase()}_PORT`,
      env: { ...env, ...extra },
      port,
    });
    running.set(service, child);
    return child;
  };
  const close = async () => {
    await Promise.all([...running.values()].map((child) => child.stop()));
    await nats.cleanup();
    await database.drop();
  };

  try {
    const ingestEnv = options.ingestEnv ?? {};
    await start('auth', {
      AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      OPTRALIS_BOOTSTRAP_ADMIN_EMAIL: ROOT.email,
      OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD: ROOT.password,
    });
    const ingest = await start('ingest', ingestEnv);
    await start('gateway', { GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '100000' });
    if (options.alerting)
      await start('alerting', { ALERTING_SECRET_KEY: randomBytes(32).toString('base64') });
    await Promise.all([...running.values()].map(expectReady));

    const gatewayUrl = running.get('gateway')!.url;
    const ingestPort = ingest.port;
    const tenant = await createTenant(gatewayUrl);
    const asOwner = { base: gatewayUrl, method: 'POST', token: tenant.owner.accessToken, expected: 201 };
    const apiToken = await request<{ token: string }>({
      ...asOwner,
      path: '/api/v1/api-tokens',
      body: { name: 'agent-tests', role: 'admin', expiresAt: null },
    });
    const ingestToken = await request<{ token: string }>({
      ...asOwner,
      path: '/api/v1/ingest-tokens',
      body: { name: 'agent-tests' },
    });

    const stopIngest = async () => {
      await running.get('ingest')?.stop();
      running.delete('ingest');
    };
    const startIngest = async () => {
      if (running.has('ingest')) return;
      await expectReady(await start('ingest', ingestEnv, ingestPort));
    };
    return {
      gatewayUrl,
      ingestUrl: ingest.url,
      tenant,
      apiToken: apiToken.token,
      ingestToken: ingestToken.token,
      stopIngest,
      startIngest,
      async restartIngest() {
        await stopIngest();
        await startIngest();
      },
      logs: () =>
        [...running].map(([service, child]) => `--- ${service}\n${child.output().slice(-2000)}`).join('\n'),
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
