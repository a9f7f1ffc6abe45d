import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AgentReport } from '@optralis/contracts';

import { checkIngestToken, enroll, EnrollmentError, systemUser } from './enroll.command';
import { INGEST_TOKEN } from './testing/ingest-token';

/** Answers like the ingest's agent intake: the token is checked before the body. */
function fakeIngest(answer: { status?: number } = {}) {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(body || 'null'));
      const reply = (status: number, detail: string) =>
        response
          .writeHead(status, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify({ status, detail }));
      if (request.url !== '/v1/agent/reports') return reply(404, 'not found');
      if (answer.status !== undefined) return reply(answer.status, 'as configured');
      if (request.headers.authorization !== `Bearer ${INGEST_TOKEN}`)
        return reply(401, 'unknown or revoked token');
      if (!AgentReport.safeParse(JSON.parse(body)).success) return reply(400, 'host: Invalid input');
      reply(202, 'accepted');
    });
  });
  return {
    bodies,
    server,
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    },
  };
}

const stop = (server: Server) => new Promise((resolve) => server.close(resolve));

describe(enroll.name, () => {
  let directory: string;
  let configPath: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'optralis-enroll-'));
    configPath = join(directory, 'agent.json');
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('should store server, token, name and tags 0600 when the server accepts the token, without sending a report', async () => {
    const ingest = fakeIngest();
    const server = await ingest.start();
    try {
      await enroll({
        server: `${server}/`,
        token: INGEST_TOKEN,
        name: 'web-01',
        tags: ['prod'],
        configPath,
        verify: true,
      });
    } finally {
      await stop(ingest.server);
    }

    expect(JSON.parse(await readFile(configPath, 'utf8'))).toEqual({
      server,
      token: INGEST_TOKEN,
      host: { name: 'web-01', tags: ['prod'] },
    });
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
    expect(ingest.bodies).toHaveLength(1);
    expect(AgentReport.safeParse(ingest.bodies[0]).success).toBe(false);
  });

  it('should write nothing when the server refuses the token', async () => {
    const ingest = fakeIngest();
    const server = await ingest.start();
    const wrong = INGEST_TOKEN.replace(/.$/, '1');
    try {
      await expect(enroll({ server, token: wrong, configPath, verify: true })).rejects.toThrow(
        'the server refused the token (401: unknown or revoked token)',
      );
    } finally {
      await stop(ingest.server);
    }
    await expect(stat(configPath)).rejects.toThrow(/ENOENT/);
  });

  it('should keep the other settings of an existing file and replace the token', async () => {
    await writeFile(
      configPath,
      JSON.stringify({ token: 'old', intervalSeconds: 30, host: { id: 'pinned', tags: ['a'] } }),
    );

    await enroll({
      server: 'https://ingest.example.com',
      token: INGEST_TOKEN,
      name: 'n',
      configPath,
      verify: false,
    });

    expect(JSON.parse(await readFile(configPath, 'utf8'))).toEqual({
      server: 'https://ingest.example.com',
      token: INGEST_TOKEN,
      intervalSeconds: 30,
      host: { id: 'pinned', name: 'n', tags: ['a'] },
    });
  });

  it('should refuse a bad URL, an API token and bad tags before asking the server', async () => {
    const attempt = (input: { server?: string; token?: string; tags?: string[] }) =>
      enroll({
        server: input.server ?? 'https://ingest.example.com',
        token: input.token ?? INGEST_TOKEN,
        tags: input.tags,
        configPath,
        verify: true,
      });

    await expect(attempt({ server: 'ingest.example.com' })).rejects.toThrow(/server: must be a URL/);
    await expect(attempt({ token: `opt_api_abcd1234_${'0'.repeat(48)}` })).rejects.toThrow(
      /token: is an API token/,
    );
    await expect(attempt({ tags: ['x'.repeat(200)] })).rejects.toThrow(/host\.tags\.0/);
  });

  it('should refuse to overwrite a file that is not JSON', async () => {
    await writeFile(configPath, 'server = x');

    await expect(
      enroll({ server: 'https://ingest.example.com', token: INGEST_TOKEN, configPath, verify: false }),
    ).rejects.toBeInstanceOf(EnrollmentError);
  });
});

describe(checkIngestToken.name, () => {
  it('should explain a URL that is not the ingest, a busy server and an unreachable one', async () => {
    const notFound = fakeIngest();
    const notFoundUrl = await notFound.start();
    const busy = fakeIngest({ status: 503 });
    const busyUrl = await busy.start();
    const limited = fakeIngest({ status: 429 });
    const limitedUrl = await limited.start();
    try {
      expect(await checkIngestToken({ server: `${notFoundUrl}/console`, token: INGEST_TOKEN })).toEqual({
        accepted: false,
        reason: expect.stringContaining('no Optralis ingest answers'),
      });
      expect(await checkIngestToken({ server: busyUrl, token: INGEST_TOKEN })).toEqual({
        accepted: false,
        reason: expect.stringContaining('--no-verify'),
      });
      expect(await checkIngestToken({ server: limitedUrl, token: INGEST_TOKEN })).toEqual({
        accepted: true,
        status: 429,
      });
    } finally {
      await Promise.all([stop(notFound.server), stop(busy.server), stop(limited.server)]);
    }
    const gone = fakeIngest();
    const goneUrl = await gone.start();
    await stop(gone.server);
    expect(await checkIngestToken({ server: goneUrl, token: INGEST_TOKEN, timeoutMs: 2000 })).toEqual({
      accepted: false,
      reason: expect.stringMatching(
        /^cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/agent\/reports: .*ECONNREFUSED/,
      ),
    });
  });
});

describe(systemUser.name, () => {
  it('should read uid and gid from a passwd file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'optralis-passwd-'));
    const passwd = join(directory, 'passwd');
    await writeFile(
      passwd,
      'root:x:0:0:root:/root:/bin/sh\noptralis-agent:x:990:985::/var/lib/optralis-agent:/usr/sbin/nologin\n',
    );
    try {
      expect(await systemUser('optralis-agent', passwd)).toEqual({ uid: 990, gid: 985 });
      expect(await systemUser('nobody-here', passwd)).toBeUndefined();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
