import { type ArgumentsHost, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { loadConfig } from '@optralis/config';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { GatewayEnv } from '../config';
import { ProblemError } from './problem';
import { ProblemFilter } from './problem.filter';

function host(path = '/api/v1/hosts?limit=5') {
  const sent: {
    status?: number;
    type?: string;
    body?: Record<string, unknown>;
    headers: Record<string, string>;
  } = {
    headers: {},
  };
  const reply = {
    sent: false,
    getHeader: (name: string) => (name === 'x-request-id' ? 'req-1' : undefined),
    header: (name: string, value: string) => ((sent.headers[name] = value), reply),
    code: (status: number) => ((sent.status = status), reply),
    type: (type: string) => ((sent.type = type), reply),
    send: (body: Record<string, unknown>) => ((sent.body = body), reply),
  };
  const request = { url: path, method: 'GET', routeOptions: { url: '/api/v1/hosts' } };
  const argumentsHost = {
    getType: () => 'http',
    switchToHttp: () => ({
      getRequest: () => request as unknown as FastifyRequest,
      getResponse: () => reply as unknown as FastifyReply,
    }),
  } as unknown as ArgumentsHost;
  return { argumentsHost, sent };
}

describe(ProblemFilter.name, () => {
  const sut = new ProblemFilter(loadConfig(GatewayEnv, { GATEWAY_BODY_LIMIT_BYTES: '2048' }));

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('should send a problem error as RFC 9457 with its code, headers and the request id', () => {
    const { argumentsHost, sent } = host();

    sut.catch(ProblemError.tooManyRequests(3), argumentsHost);

    expect(sent.status).toBe(429);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.headers).toEqual({ 'Retry-After': '3' });
    expect(sent.body).toEqual({
      type: 'https://optralis.dev/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: 'slow down: retry in 3 s',
      instance: '/api/v1/hosts',
      code: 'rate_limited',
      requestId: 'req-1',
    });
  });

  it('should name the body limit when Fastify refuses a body as too large', () => {
    const { argumentsHost, sent } = host();

    sut.catch(new HttpException('Request body is too large', 413), argumentsHost);

    expect(sent.body).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      detail: 'the body is larger than 2048 bytes',
    });
  });

  it('should answer 404 naming the path when no route matches', () => {
    const { argumentsHost, sent } = host('/nowhere');

    sut.catch(new NotFoundException('Cannot GET /nowhere'), argumentsHost);

    expect(sent.body).toMatchObject({
      status: 404,
      code: 'not_found',
      detail: 'no route matches GET /nowhere',
    });
  });

  it('should answer 500 with an errorId that is also logged when the error is unexpected', () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { argumentsHost, sent } = host();

    sut.catch(new TypeError('cannot read x of undefined'), argumentsHost);

    expect(sent.status).toBe(500);
    const errorId = sent.body?.errorId as string;
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.body).toMatchObject({ code: 'internal', title: 'Internal error' });
    expect(JSON.stringify(sent.body)).not.toContain('cannot read');
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ errorId, error: 'cannot read x of undefined' }),
      'request failed unexpectedly',
    );
  });
});
