import { createServer } from 'node:net';

import { z } from 'zod';

import { ExitCode } from './cli-errors';
import { GatewayClient, MAX_PAGE_SIZE } from './gateway-client';
import {
  type FakeAnswer,
  type FakeGateway,
  type FakeRequest,
  problem,
  startFakeGateway,
} from './testing/fake-gateway';

const Item = z.object({ id: z.string() });
const TOKEN = 'opt_api_secret_token';

function pages(total: number) {
  return (request: FakeRequest): FakeAnswer => {
    const start = Number(request.query.get('cursor') ?? 0);
    const limit = Number(request.query.get('limit'));
    const end = Math.min(total, start + limit);
    const items = Array.from({ length: end - start }, (_, index) => ({
      id: `h${start + index}`,
      extra: true,
    }));
    return { body: { items, nextCursor: end < total ? String(end) : null } };
  };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe(GatewayClient.name, () => {
  let gateway: FakeGateway | undefined;
  let route: (request: FakeRequest) => FakeAnswer;

  beforeEach(async () => {
    route = pages(0);
    gateway = await startFakeGateway((request) => route(request));
  });

  afterEach(async () => {
    await gateway?.close();
  });

  const client = (timeoutMs = 5000, server = gateway!.url) =>
    new GatewayClient({ server: new URL(server), token: TOKEN, timeoutMs });

  describe('list', () => {
    it('should follow nextCursor until the last page when no limit is given', async () => {
      route = pages(1234);
      const pagesSeen: number[] = [];
      const sut = await client().list({
        path: 'api/v1/hosts',
        query: { status: 'online' },
        item: Item,
        onPage: (count) => pagesSeen.push(count),
      });
      expect(sut.items).toHaveLength(1234);
      expect(sut.more).toBe(false);
      expect(pagesSeen).toEqual([500, 1000, 1234]);
      expect(gateway!.requests.map((request) => request.query.get('cursor'))).toEqual([null, '500', '1000']);
      expect(gateway!.requests.every((request) => request.query.get('status') === 'online')).toBe(true);
      expect(gateway!.requests[0].query.get('limit')).toBe(String(MAX_PAGE_SIZE));
    });

    it('should stop at the limit and say there is more when the server has more', async () => {
      route = pages(1234);
      const sut = await client().list({ path: 'api/v1/hosts', query: {}, item: Item, limit: 600 });
      expect(sut.items).toHaveLength(600);
      expect(sut.more).toBe(true);
      expect(gateway!.requests.map((request) => request.query.get('limit'))).toEqual(['500', '100']);
    });

    it('should keep fields the schema does not name when items carry more', async () => {
      route = pages(1);
      const sut = await client().list({ path: 'api/v1/hosts', query: {}, item: Item });
      expect(sut.items).toEqual([{ id: 'h0', extra: true }]);
    });

    it('should fail instead of looping when the server repeats a cursor', async () => {
      route = () => ({ body: { items: [{ id: 'a' }], nextCursor: 'same' } });
      await expect(client().list({ path: 'api/v1/hosts', query: {}, item: Item })).rejects.toMatchObject({
        exitCode: ExitCode.Unavailable,
        message: expect.stringContaining('repeated a page cursor'),
      });
    });
  });

  describe('get', () => {
    it('should send the token as a bearer and keep a path prefix when the server sits behind a proxy', async () => {
      route = () => ({ body: { id: 'x' } });
      await client(5000, `${gateway!.url}/optralis`).get('api/v1/hosts/x', {}, Item);
      expect(gateway!.requests[0]).toMatchObject({
        path: '/optralis/api/v1/hosts/x',
        headers: expect.objectContaining({ authorization: `Bearer ${TOKEN}` }),
      });
    });

    it('should repeat a query parameter when its value is a list', async () => {
      route = () => ({ body: { id: 'x' } });
      await client().get('api/v1/x', { name: ['a', 'b'], skipped: undefined }, Item);
      expect(gateway!.requests[0].query.getAll('name')).toEqual(['a', 'b']);
      expect(gateway!.requests[0].query.has('skipped')).toBe(false);
    });

    it.each([
      [401, ExitCode.Auth],
      [403, ExitCode.Auth],
      [404, ExitCode.NotFound],
      [422, ExitCode.Generic],
      [503, ExitCode.Unavailable],
    ])(
      'should fail with "title: detail" and the exit code when the server answers %i',
      async (status, code) => {
        route = () => problem(status, 'Refused', 'because');
        await expect(client().get('api/v1/x', {}, Item)).rejects.toMatchObject({
          message: 'Refused: because',
          exitCode: code,
        });
      },
    );

    it('should refuse to follow a redirect when the server sends one', async () => {
      route = () => ({ status: 302, headers: { location: 'http://elsewhere.example/' } });
      await expect(client().get('api/v1/x', {}, Item)).rejects.toMatchObject({
        exitCode: ExitCode.Generic,
        message: expect.stringContaining('http://elsewhere.example/'),
      });
      expect(gateway!.requests).toHaveLength(1);
    });

    it('should fail with exit code 5 when an answer does not match the contract', async () => {
      route = () => ({ body: { id: 42 } });
      await expect(client().get('api/v1/x', {}, Item)).rejects.toMatchObject({
        exitCode: ExitCode.Unavailable,
      });
    });

    it('should time out with exit code 5 when the server never answers', async () => {
      route = () => ({ hang: true });
      await expect(client(200).get('api/v1/x', {}, Item)).rejects.toMatchObject({
        exitCode: ExitCode.Unavailable,
        message: expect.stringMatching(/^no answer from http:\/\/127\.0\.0\.1:\d+ within/),
      });
    });

    it('should fail with exit code 5 without showing the token when nothing listens', async () => {
      const error = await client(1000, `http://127.0.0.1:${await closedPort()}`)
        .get('api/v1/x', {}, Item)
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        exitCode: ExitCode.Unavailable,
        message: expect.stringContaining('ECONNREFUSED'),
      });
      expect((error as Error).message).not.toContain(TOKEN);
    });
  });

  describe('download', () => {
    it('should give every chunk when the server streams', async () => {
      route = () => ({ chunks: ['id,name\r\n', 'a,b\r\n', 'c,d\r\n'] });
      const decoder = new TextDecoder();
      let text = '';
      for await (const chunk of client().download('api/v1/hosts/export.csv', {}, 'text/csv')) {
        text += decoder.decode(chunk, { stream: true });
      }
      expect(text).toBe('id,name\r\na,b\r\nc,d\r\n');
    });

    it('should fail before any chunk when the server refuses', async () => {
      route = () => problem(401, 'Unauthorized', 'bad token');
      const chunks = client().download('api/v1/hosts/export.csv', {}, 'text/csv');
      await expect(chunks.next()).rejects.toMatchObject({ exitCode: ExitCode.Auth });
    });
  });
});
