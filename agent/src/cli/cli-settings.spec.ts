import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ExitCode } from './cli-errors';
import { configFilePath, resolveConnection } from './cli-settings';

describe(resolveConnection.name, () => {
  let directory: string;
  let configFile: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'optralis-cli-'));
    configFile = join(directory, 'cli.json');
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('should prefer flags to the environment and the environment to the file when all are set', () => {
    writeFileSync(configFile, JSON.stringify({ server: 'http://file:1', token: 'file-token' }));
    const environment = { OPTRALIS_SERVER: 'http://env:2', OPTRALIS_TOKEN: 'env-token' };

    expect(resolveConnection({ flags: { server: 'http://flag:3' }, environment, configFile })).toEqual({
      server: new URL('http://flag:3'),
      token: 'env-token',
    });
    expect(resolveConnection({ flags: {}, environment: {}, configFile })).toEqual({
      server: new URL('http://file:1'),
      token: 'file-token',
    });
  });

  it('should fill what the environment lacks from the file when only the server is set', () => {
    writeFileSync(configFile, JSON.stringify({ token: 'file-token' }));
    const sut = resolveConnection({
      flags: {},
      environment: { OPTRALIS_SERVER: 'https://x.example' },
      configFile,
    });
    expect(sut.token).toBe('file-token');
  });

  it('should be a usage error naming the file when no token is anywhere', () => {
    expect(() => resolveConnection({ flags: { server: 'http://a:1' }, environment: {}, configFile })).toThrow(
      expect.objectContaining({ exitCode: ExitCode.Usage, message: expect.stringContaining(configFile) }),
    );
  });

  it('should be a usage error when the server is not an http(s) URL', () => {
    expect(() =>
      resolveConnection({ flags: { server: 'ftp://a', token: 't' }, environment: {}, configFile }),
    ).toThrow(expect.objectContaining({ exitCode: ExitCode.Usage }));
  });

  it('should be a usage error without echoing the file when it is not JSON', () => {
    writeFileSync(configFile, '{"token": "s3cret"');
    let caught: unknown;
    try {
      resolveConnection({ flags: {}, environment: {}, configFile });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ exitCode: ExitCode.Usage });
    expect((caught as Error).message).not.toContain('s3cret');
  });

  it('should be a usage error when the file cannot be read', () => {
    expect(() => resolveConnection({ flags: {}, environment: {}, configFile: directory })).toThrow(
      expect.objectContaining({ exitCode: ExitCode.Usage }),
    );
  });
});

describe(configFilePath.name, () => {
  it('should follow XDG_CONFIG_HOME when it is set', () => {
    expect(configFilePath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/optralis/cli.json');
  });
});
