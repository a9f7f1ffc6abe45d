import { randomBytes, randomUUID } from 'node:crypto';

import { expectEventually } from '@optralis/testing';

import {
  noteCreated,
  type OpenApiDocument,
  operationsOf,
  type Probe,
  probesOf,
  type Reply,
  send,
  type Victim,
  type VictimIds,
} from './foreign-tenant-probes';
import { call, type Platform, startPlatform } from './gateway-test-app';

/**
 * Operations of the document not swept, each with why. None today: logout, the one that would end the
 * attacker's own session, is sent last instead (LAST), and public routes are swept like the others.
 */
const SKIPPED = new Map<string, string>([]);

/** Sent after all others: ending the attacker's own session would leave the rest of the sweep unsigned. */
const LAST = new Set(['POST /api/v1/auth/logout']);

/**
 * Public routes that answer for a victim's id differently than for an unknown one, by design: a SAML
 * provider's metadata, login redirect and assertion consumer serve anonymous browsers on their way to the
 * tenant's identity provider. They are still checked for 5xx and for anything of the victim's leaking.
 */
const PUBLIC_BY_DESIGN = new Set([
  'GET /api/v1/auth/saml/{providerId}/metadata',
  'GET /api/v1/auth/saml/{providerId}/login',
  'POST /api/v1/auth/saml/{providerId}/acs',
]);

const IDP_CERT = `-----BEGIN CERTIFICATE-----\n${'MIIBszCCAVmgAwIBAgIUQ'.repeat(4)}\n-----END CERTIFICATE-----`;

type Credential = 'owner session' | 'admin API token';

describe('Gateway foreign-tenant sweep (real auth, ingest and alerting services)', () => {
  let platform: Platform;
  let document: OpenApiDocument;
  let victim: Victim;
  let victimToken: string;
  let victimApiToken: string;
  let victimIngestToken: string;
  let before: Record<string, unknown>;
  const attacker = {} as Record<Credential, string>;
  /** The attacker's own channel and escalation policy, for probes that name the victim's in a body. */
  let attackerIds: Partial<VictimIds>;

  const api = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<T> => {
    const answer = await platform.gateway.call<T>(method, `/api/v1${path}`, { token, body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(method === 'POST' ? 201 : 200);
    return answer.body;
  };

  beforeAll(async () => {
    platform = await startPlatform({
      ingest: true,
      alerting: true,
      env: {
        GATEWAY_EVENTS_HEARTBEAT_SECONDS: '1',
        GATEWAY_TOKEN_RATE_LIMIT_PER_SECOND: '100000',
        // A write that slipped through to the victim must be seen by the check after the sweep at once.
        GATEWAY_READ_CACHE_MS: '0',
      },
    });
    document = (await platform.gateway.call<OpenApiDocument>('GET', '/api/openapi.json')).body;
    await makeVictim();
    const owner = await platform.tenant();
    attacker['owner session'] = owner.owner.accessToken;
    const channel = await api<{ id: string }>('POST', '/channels', owner.owner.accessToken, {
      name: 'attacker-ops',
      type: 'webhook',
      config: { url: 'http://127.0.0.1:9/attacker', secret: randomBytes(16).toString('hex') },
    });
    const policy = await api<{ id: string }>('POST', '/escalation-policies', owner.owner.accessToken, {
      name: 'attacker-on-call',
      steps: [{ afterMinutes: 0, channelIds: [channel.id] }],
    });
    attackerIds = { channelId: channel.id, policyId: policy.id };
    attacker['admin API token'] = (
      await api<{ token: string }>('POST', '/api-tokens', owner.owner.accessToken, {
        name: 'attacker',
        role: 'admin',
        expiresAt: null,
      })
    ).token;
    before = await victimState();
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  });

  /** Tenant A with one of every resource kind, each named with the marker, and an alert firing. */
  async function makeVictim(): Promise<void> {
    const tenant = await platform.tenant();
    const token = tenant.owner.accessToken;
    const searchTerm = randomBytes(6).toString('hex');
    const marker = `victim-${searchTerm}`;
    const channelSecret = `secret-${randomBytes(16).toString('hex')}`;
    const smtpPassword = `smtp-${randomBytes(16).toString('hex')}`;
    const me = await api<{ user: { id: string } }>('GET', '/me', token);
    const ingest = await api<{ id: string; token: string }>('POST', '/ingest-tokens', token, {
      name: `${marker}-agent`,
    });
    const apiToken = await api<{ id: string; token: string }>('POST', '/api-tokens', token, {
      name: `${marker}-ci`,
      role: 'observer',
      expiresAt: null,
    });
    const channel = await api<{ id: string }>('POST', '/channels', token, {
      name: `${marker}-ops`,
      type: 'webhook',
      config: { url: `http://127.0.0.1:9/${marker}`, secret: channelSecret },
    });
    const policy = await api<{ id: string }>('POST', '/escalation-policies', token, {
      name: `${marker}-on-call`,
      steps: [{ afterMinutes: 0, channelIds: [channel.id] }],
    });
    const hostId = randomUUID();
    const rule = await api<{ id: string }>('POST', '/alert-rules', token, {
      name: `${marker} cpu high`,
      kind: 'threshold',
      metric: 'cpu.usage_pct',
      operator: '>',
      critical: 90,
      forSeconds: 0,
      scope: { hostIds: [hostId], tags: [] },
      channelIds: [channel.id],
    });
    const window = await api<{ id: string }>('POST', '/maintenance-windows', token, {
      name: `${marker}-patching`,
      startsAt: '2027-06-06T02:00:00Z',
      durationMinutes: 60,
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      timezone: 'UTC',
      scope: { hostIds: [], tags: ['maintenance-only'] },
    });
    const user = await api<{ user: { id: string }; temporaryPassword: string | null }>(
      'POST',
      '/users',
      token,
      {
        email: `${marker}@example.com`,
        role: 'editor',
      },
    );
    const sso = await api<{ id: string }>('POST', '/sso-providers', token, {
      name: `${marker}-adfs`,
      type: 'saml',
      config: { entryPoint: 'https://idp.example.com/sso', idpCert: IDP_CERT },
    });
    await api('PUT', '/alerting-settings', token, {
      smtp: { host: `${marker}.example.com`, from: `alerts@${marker}.example.com`, password: smtpPassword },
    });
    await api('PUT', '/status-page', token, {
      enabled: false,
      title: `${marker} status`,
      groups: [{ name: `${marker} web`, tag: searchTerm }],
    });

    let seq = 0;
    const alert = await expectEventually(
      async () => {
        const sent = await call(platform.ingest!.url, 'POST', '/v1/agent/reports', {
          token: ingest.token,
          body: {
            host: { id: hostId, name: `${marker}-web`, tags: [searchTerm] },
            seq: ++seq,
            time: new Date().toISOString(),
            metrics: [{ name: 'cpu.usage_pct', value: 97.5 }],
          },
        });
        expect(sent.status, sent.text).toBe(202);
        const alerts = await api<{ items: { id: string; state: string }[] }>(
          'GET',
          '/alerts?open=true',
          token,
        );
        const firing = alerts.items.find((item) => item.state === 'firing');
        expect(firing, 'the victim’s alert fires').toBeDefined();
        return firing!;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    victim = {
      marker,
      searchTerm,
      secrets: [
        ingest.token,
        apiToken.token,
        channelSecret,
        smtpPassword,
        token,
        ...(user.temporaryPassword ? [user.temporaryPassword] : []),
      ],
      ids: {
        tenantId: tenant.id,
        slug: tenant.slug,
        ownerUserId: me.user.id,
        userId: user.user.id,
        hostId,
        ruleId: rule.id,
        alertId: alert.id,
        channelId: channel.id,
        windowId: window.id,
        policyId: policy.id,
        apiTokenId: apiToken.id,
        ingestTokenId: ingest.id,
        ssoProviderId: sso.id,
      },
    };
    victimToken = token;
    victimApiToken = apiToken.token;
    victimIngestToken = ingest.token;
    await expectVictimSeesItsMarker();
  }

  /** The victim's own lists, exports and event replay hold the marker: its absence elsewhere means something. */
  async function expectVictimSeesItsMarker(): Promise<void> {
    for (const path of [
      '/api/v1/hosts',
      '/api/v1/hosts/export.csv',
      '/api/v1/export/prometheus',
      '/api/v1/alert-rules',
      '/api/v1/alerts',
      '/api/v1/channels',
      '/api/v1/users',
      '/api/v1/events?lastEventId=0.0',
    ]) {
      await expectEventually(
        async () => {
          const answer = await send(platform.gateway.url, probeOf('GET', path), victimToken);
          expect(answer.status, `${path}: ${answer.text.slice(0, 300)}`).toBe(200);
          expect(answer.text, path).toContain(victim.marker);
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
    }
  }

  const probeOf = (method: string, url: string): Probe => ({
    operation: `${method} ${url}`,
    label: `${method} ${url}`,
    method,
    url,
    aimsAtVictim: false,
    public: false,
    documented: [],
    sent: [],
  });

  /** What the victim reads of each of its resources; fields that move on their own are left out. */
  async function victimState(): Promise<Record<string, unknown>> {
    const { ids } = victim;
    const read = (path: string) => api<Record<string, unknown>>('GET', path, victimToken);
    const pick = (record: Record<string, unknown> | undefined, keys: string[]) =>
      record && Object.fromEntries(keys.map((key) => [key, record[key]]));
    const listed = async (path: string, id: string) =>
      ((await read(path)).items as Record<string, unknown>[]).find((item) => item.id === id);
    return {
      me: pick(await read('/me'), ['tenantId', 'role']),
      host: pick(await read(`/hosts/${ids.hostId}`), ['id', 'name', 'description', 'tags']),
      rule: await read(`/alert-rules/${ids.ruleId}`),
      alert: pick(await read(`/alerts/${ids.alertId}`), [
        'id',
        'ruleId',
        'hostId',
        'acknowledgedAt',
        'acknowledgedBy',
      ]),
      channel: await read(`/channels/${ids.channelId}`),
      window: await read(`/maintenance-windows/${ids.windowId}`),
      policy: await read(`/escalation-policies/${ids.policyId}`),
      user: await read(`/users/${ids.userId}`),
      sso: await read(`/sso-providers/${ids.ssoProviderId}`),
      alertingSettings: await read('/alerting-settings'),
      statusPage: await read('/status-page'),
      apiToken: pick(await listed('/api-tokens', ids.apiTokenId), [
        'id',
        'name',
        'role',
        'expiresAt',
        'revokedAt',
      ]),
      ingestToken: pick(await listed('/ingest-tokens', ids.ingestTokenId), ['id', 'name', 'revokedAt']),
    };
  }

  async function expectVictimUnchanged(): Promise<void> {
    expect(await victimState()).toEqual(before);
    expect((await platform.gateway.call('GET', '/api/v1/me', { token: victimApiToken })).status).toBe(200);
    const report = await call(platform.ingest!.url, 'POST', '/v1/agent/reports', {
      token: victimIngestToken,
      body: {
        host: { id: victim.ids.hostId, name: `${victim.marker}-web`, tags: [victim.searchTerm] },
        seq: 1_000_000 + Date.now(),
        time: new Date().toISOString(),
        metrics: [{ name: 'cpu.usage_pct', value: 97.5 }],
      },
    });
    expect(report.status, report.text).toBe(202);
  }

  /** What of the victim's an answer holds that its request did not carry itself. */
  function leaks(probe: Probe, answer: Reply): string[] {
    const text = `${JSON.stringify(answer.headers)}\n${answer.text}`;
    const ids = Object.values(victim.ids).filter((id) => !probe.sent.includes(id));
    return [victim.marker, ...victim.secrets, ...ids].filter((secret) => text.includes(secret));
  }

  function judge(probe: Probe, answer: Reply, control: Reply | undefined): void {
    const where = `${probe.label} → ${answer.status} ${answer.text.slice(0, 400)}`;
    expect.soft(answer.status, where).toBeLessThan(500);
    expect.soft(leaks(probe, answer), `${where}\nleaks the victim’s`).toEqual([]);
    if (probe.aimsAtVictim && !probe.public) {
      const refusals = [
        401,
        403,
        404,
        ...[400, 405, 409, 422].filter((status) => probe.documented.includes(status)),
      ];
      expect
        .soft(answer.status, `${where}\nmust be refused`)
        .toSatisfy((status: number) => refusals.includes(status));
      if (answer.status === 400 || answer.status === 422) {
        expect.soft(answer.body?.code ?? '', `${where}\nmust be about the request`).not.toMatch(/not_found/);
      }
    }
    if (control && !PUBLIC_BY_DESIGN.has(probe.operation)) {
      expect
        .soft(
          { status: control.status, code: control.body?.code },
          `${where}\nmust answer as for unknown ids: ${control.status} ${control.text.slice(0, 400)}`,
        )
        .toEqual({ status: answer.status, code: answer.body?.code });
    }
  }

  it.each<Credential>(['owner session', 'admin API token'])(
    'should refuse or hide every operation aimed at another tenant when called with the %s',
    async (credential) => {
      const token = attacker[credential];
      const documented = operationsOf(document).map((operation) => operation.key);
      expect(documented.length, 'operations in the served document').toBeGreaterThan(0);
      const keys = documented.filter((key) => !SKIPPED.has(key));
      const swept = new Set<string>();
      const own = { ...attackerIds };
      for (const key of [...keys.filter((key) => !LAST.has(key)), ...keys.filter((key) => LAST.has(key))]) {
        for (const probe of probesOf({ document, key, victim, attacker: own })) {
          const answer = await send(platform.gateway.url, probe, token);
          noteCreated(probe, answer, own);
          const control = probe.control && (await send(platform.gateway.url, probe.control, token));
          judge(probe, answer, control);
          swept.add(probe.operation);
        }
      }

      expect(swept.size, 'operations swept').toBe(documented.length - SKIPPED.size);
      await expectVictimUnchanged();
    },
    300_000,
  );
});
