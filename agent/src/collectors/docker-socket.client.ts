import { request } from 'node:http';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * GET `path` from the Docker Engine API on a unix socket and parse the JSON body. Undefined when the
 * socket is missing or unreadable, the daemon answers anything but 200, the body is not JSON, is too
 * large, or the answer takes longer than `timeoutMs`.
 */
export function getDockerJson(socketPath: string, path: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const call = request(
      { socketPath, path, method: 'GET', headers: { host: 'docker' }, timeout: timeoutMs },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return resolve(undefined);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            call.destroy();
            return resolve(undefined);
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            resolve(undefined);
          }
        });
        response.on('error', () => resolve(undefined));
        // A body cut short (the daemon went away, the timeout destroyed the call) ends without 'end'.
        response.on('close', () => resolve(undefined));
      },
    );
    call.on('timeout', () => call.destroy());
    call.on('error', () => resolve(undefined));
    call.end();
  });
}
