import { ExitCode, exitCodeOfStatus } from './cli-errors';
import { problemError, problemMessage } from './problem';

const body = (fields: Record<string, unknown>) => JSON.stringify({ type: 'about:blank', ...fields });

describe(problemMessage.name, () => {
  it('should give "title: detail" when the answer is problem+json', () => {
    const sut = problemMessage({
      status: 404,
      statusText: 'Not Found',
      body: body({ title: 'Not found', status: 404, detail: 'no host web-9', code: 'host.not_found' }),
    });
    expect(sut).toBe('Not found: no host web-9');
  });

  it('should give the title alone when the problem has no detail', () => {
    expect(problemMessage({ status: 429, statusText: '', body: body({ title: 'Too many requests' }) })).toBe(
      'Too many requests',
    );
  });

  it('should give the HTTP status line when the body is not a problem', () => {
    expect(problemMessage({ status: 502, statusText: 'Bad Gateway', body: '<html>nginx</html>' })).toBe(
      'HTTP 502 Bad Gateway',
    );
  });

  it('should cut a detail when a server sends pages of it', () => {
    const sut = problemMessage({
      status: 400,
      statusText: '',
      body: body({ title: 'Bad', detail: 'x'.repeat(5000) }),
    });
    expect(sut.length).toBeLessThan(600);
  });
});

describe(exitCodeOfStatus.name, () => {
  it.each([
    [401, ExitCode.Auth],
    [403, ExitCode.Auth],
    [404, ExitCode.NotFound],
    [500, ExitCode.Unavailable],
    [503, ExitCode.Unavailable],
    [400, ExitCode.Generic],
    [422, ExitCode.Generic],
    [429, ExitCode.Generic],
  ])('should map HTTP %i to exit code %i', (status, code) => {
    expect(exitCodeOfStatus(status)).toBe(code);
  });
});

describe(problemError.name, () => {
  it('should carry the exit code of the status when a token is refused', () => {
    const sut = problemError({
      status: 401,
      statusText: 'Unauthorized',
      body: body({ title: 'Unauthorized', detail: 'bad token' }),
    });
    expect(sut).toMatchObject({ message: 'Unauthorized: bad token', exitCode: ExitCode.Auth });
  });
});
