import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, copyFile, readFile, writeFile } from 'node:fs/promises';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

import { Sample } from '@optralis/contracts';

import { DEFAULT_PLUGIN_LIMITS, type PluginRunResult, runPlugin } from './plugin-runner';
import { pluginDirectory } from './testing/plugin-files';

const PLUGIN = join(__dirname, '..', '..', 'plugins', 'tls-cert-expiry');

/** A fresh 30-day certificate for localhost from openssl; the committed far-future fixture where openssl is missing. */
function testCertificate(directory: string): { cert: string; key: string; certPath: string } {
  const certPath = join(directory, 'cert.pem');
  const keyPath = join(directory, 'key.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30']
        .concat(['-keyout', keyPath, '-out', certPath, '-subj', '/CN=localhost'])
        .concat(['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']),
      { stdio: 'ignore' },
    );
  } catch {
    return {
      cert: readFileSync(join(__dirname, 'testing', 'localhost.cert.pem'), 'utf8'),
      key: readFileSync(join(__dirname, 'testing', 'localhost.key.pem'), 'utf8'),
      certPath: join(__dirname, 'testing', 'localhost.cert.pem'),
    };
  }
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath };
}

const listen = (server: Server, host = '127.0.0.1') =>
  new Promise<number>((resolve) =>
    server.listen(0, host, () => resolve((server.address() as { port: number }).port)),
  );
const sockets = new Set<Socket>();
const close = (server: Server) => {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(resolve));
};
const tracked = <S extends Server>(server: S): S =>
  server.on('connection', (socket: Socket) => {
    sockets.add(socket.on('error', () => undefined).on('close', () => sockets.delete(socket)));
  });

describe('tls-cert-expiry plugin', () => {
  let directory: Awaited<ReturnType<typeof pluginDirectory>>;
  let certificate: ReturnType<typeof testCertificate>;
  let tlsServer: Server;
  let tlsPort: number;
  let silentServer: Server;
  let silentPort: number;

  beforeAll(async () => {
    directory = await pluginDirectory();
    certificate = testCertificate(directory.path);
    tlsServer = tracked(
      createTlsServer({ cert: certificate.cert, key: certificate.key }, (socket) => socket.end()),
    );
    tlsServer.on('tlsClientError', () => undefined);
    // Every loopback address, so 127.0.0.2 reaches it under a name its certificate does not carry.
    tlsPort = await listen(tlsServer, '0.0.0.0');
    silentServer = tracked(createTcpServer(() => undefined));
    silentPort = await listen(silentServer);
  });
  afterAll(async () => {
    await Promise.all([close(tlsServer), close(silentServer)]);
    await directory.remove();
  });

  const run = (environment: Record<string, string>, path = PLUGIN): Promise<PluginRunResult> =>
    runPlugin({
      plugin: { name: 'tls-cert-expiry', path },
      limits: { ...DEFAULT_PLUGIN_LIMITS, timeoutMs: 15_000 },
      environment: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...environment },
    });
  const value = (result: PluginRunResult, name: string, port: number) =>
    result.samples.find((sample) => sample.name === name && sample.labels?.port === String(port))?.value;
  const expectedDays = () =>
    (Date.parse(new X509Certificate(certificate.cert).validTo) - Date.now()) / 86_400_000;

  it('should report the days left and an untrusted certificate when the server is self-signed', async () => {
    const result = await run({ TLS_CERT_EXPIRY_TARGETS: `localhost:${tlsPort}` });

    expect(result.problem).toBeUndefined();
    expect(result.rejectedCount).toBe(0);
    expect(value(result, 'tls.cert_check_ok', tlsPort)).toBe(1);
    expect(value(result, 'tls.cert_valid', tlsPort)).toBe(0);
    expect(value(result, 'tls.cert_expiry_days', tlsPort)).toBeCloseTo(expectedDays(), 1);
    expect(result.samples[0].labels).toEqual({
      host: 'localhost',
      port: String(tlsPort),
      plugin: 'tls-cert-expiry',
    });
    for (const sample of result.samples) expect(Sample.safeParse(sample).success).toBe(true);
  });

  it('should report a valid certificate when its issuer is trusted and the name matches', async () => {
    const result = await run({
      TLS_CERT_EXPIRY_TARGETS: `localhost:${tlsPort}`,
      NODE_EXTRA_CA_CERTS: certificate.certPath,
    });

    expect(value(result, 'tls.cert_valid', tlsPort)).toBe(1);
  });

  it('should report a name mismatch as not valid even when the issuer is trusted', async () => {
    const result = await run({
      TLS_CERT_EXPIRY_TARGETS: `127.0.0.2:${tlsPort}`,
      NODE_EXTRA_CA_CERTS: certificate.certPath,
    });

    expect(value(result, 'tls.cert_check_ok', tlsPort)).toBe(1);
    expect(value(result, 'tls.cert_valid', tlsPort)).toBe(0);
  });

  it('should report check_ok 0 only, within its timeout, for closed and silent targets', async () => {
    const closed = await freeClosedPort();
    const started = Date.now();

    const result = await run({
      TLS_CERT_EXPIRY_TARGETS: `127.0.0.1:${closed},127.0.0.1:${silentPort}`,
      TLS_CERT_EXPIRY_TIMEOUT_MS: '500',
    });

    expect(result.problem).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.samples.map((sample) => [sample.name, sample.labels?.port, sample.value]).sort()).toEqual(
      [
        ['tls.cert_check_ok', String(closed), 0],
        ['tls.cert_check_ok', String(silentPort), 0],
      ].sort(),
    );
  });

  it('should read its targets from the file beside it and ignore malformed ones', async () => {
    const copy = join(directory.path, 'tls-cert-expiry');
    await copyFile(PLUGIN, copy);
    await writeFile(
      join(directory.path, 'tls-cert-expiry.targets'),
      `# production\nlocalhost:${tlsPort}\nnot:a:target\nlocalhost:99999\n`,
    );
    await chmod(copy, 0o755);

    const result = await run({}, copy);

    expect(value(result, 'tls.cert_check_ok', tlsPort)).toBe(1);
    expect(result.samples.filter((sample) => sample.name === 'tls.cert_check_ok')).toHaveLength(1);
    expect(result.stderr).toContain('ignored target "not:a:target"');
    expect(result.stderr).toContain('ignored target "localhost:99999"');
  });

  it('should print nothing and succeed when there are no targets', async () => {
    const result = await run({});

    expect(result.problem).toBeUndefined();
    expect(result.samples).toEqual([]);
    expect(await readFile(PLUGIN, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});

async function freeClosedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await close(server);
  return port;
}
