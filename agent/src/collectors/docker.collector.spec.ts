import { mkdirSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { dirname } from 'node:path';

import { commandOutput, invalidSamples, scratchContext, valueOf } from '../../test/fixtures/fixture-host';
import { DockerCollector } from './docker.collector';

/** A Docker Engine stand-in on a unix socket of the scratch host; it records the paths asked for. */
async function fakeDocker(
  socketPath: string,
  handler: RequestListener,
): Promise<{ server: Server; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    handler(request, response);
  });
  mkdirSync(dirname(socketPath), { recursive: true });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, paths };
}

function answer(status: number, body: string): RequestListener {
  return (_, response) => response.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

describe(DockerCollector.name, () => {
  it('should report each container and count them, from the API on the unix socket', async () => {
    const context = scratchContext();
    const { paths } = await fakeDocker(
      context.paths.dockerSocket,
      answer(200, commandOutput('docker-containers-json.txt')),
    );

    const samples = await new DockerCollector(context).collect();

    expect(paths).toEqual(['/containers/json?all=1']);
    expect(
      valueOf(samples, 'docker.container_running', {
        container: 'web',
        image: 'nginx:1.27-alpine',
        state: 'running',
      }),
    ).toBe(1);
    expect(valueOf(samples, 'docker.container_running', { container: 'shop-db-1' })).toBe(1);
    expect(valueOf(samples, 'docker.container_running', { container: 'migrate', state: 'exited' })).toBe(0);
    expect(
      valueOf(samples, 'docker.container_running', { container: '4a5b6c7d8e9f', state: 'created' }),
    ).toBe(0);
    expect(valueOf(samples, 'docker.containers')).toBe(4);
    expect(valueOf(samples, 'docker.containers_running')).toBe(2);
    expect(invalidSamples(samples)).toEqual([]);
  });

  it('should leave out entries that are not container summaries', async () => {
    const context = scratchContext();
    await fakeDocker(
      context.paths.dockerSocket,
      answer(200, '[{"Id":"abc","State":"running","Names":["/ok"]},{"Id":42},"text",null]'),
    );

    const samples = await new DockerCollector(context).collect();

    expect(valueOf(samples, 'docker.containers')).toBe(1);
    expect(valueOf(samples, 'docker.container_running', { container: 'ok' })).toBe(1);
  });

  it('should give nothing when the daemon answers an error, garbage or too slowly', async () => {
    for (const handler of [
      answer(500, '{"message":"Internal Server Error"}'),
      answer(200, '<html>not json'),
      answer(200, '{"message":"not a list"}'),
      () => undefined,
    ]) {
      const context = scratchContext();
      await fakeDocker(context.paths.dockerSocket, handler);

      expect(await new DockerCollector(context, 100).collect()).toEqual([]);
    }
  });

  it('should give nothing when the socket is missing or is not a socket', async () => {
    const missing = scratchContext();
    const notSocket = scratchContext();
    notSocket.write('run/docker.sock', 'a plain file');

    expect(await new DockerCollector(missing).collect()).toEqual([]);
    expect(await new DockerCollector(notSocket).collect()).toEqual([]);
  });
});
