// A pass-through HTTP proxy between the agent and ingest: every request is forwarded unchanged and its
// answer returned unchanged; on the side it records when the request came, when ingest answered, the
// status, and the report's seq, time and sample count read from a copy of the gzip body.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

function readAll(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

function describeReport(headers, body) {
  try {
    const text = headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
    const report = JSON.parse(text.toString('utf8'));
    const pending = report.metrics.find((sample) => sample.name === 'agent.spool.pending_reports')?.value;
    return { seq: report.seq, timeMs: Date.parse(report.time), samples: report.metrics.length, pending };
  } catch {
    return { seq: undefined };
  }
}

/** Listens on a free port; `exchanges` grows by one entry per answered request. */
export async function startRecordingProxy(targetUrl) {
  const target = new URL(targetUrl);
  const upstream = new http.Agent({ keepAlive: true });
  const exchanges = [];
  const server = http.createServer(async (request, response) => {
    const receivedAt = Date.now();
    try {
      const body = await readAll(request);
      const answer = await new Promise((resolve, reject) => {
        const forwarded = http.request(
          {
            host: target.hostname,
            port: target.port,
            method: request.method,
            path: request.url,
            headers: { ...request.headers, host: target.host },
            agent: upstream,
          },
          (upstreamResponse) =>
            readAll(upstreamResponse).then(
              (payload) =>
                resolve({ status: upstreamResponse.statusCode, headers: upstreamResponse.headers, payload }),
              reject,
            ),
        );
        forwarded.once('error', reject);
        forwarded.end(body);
      });
      const answeredAt = Date.now();
      response.writeHead(answer.status, answer.headers).end(answer.payload);
      let duplicates;
      try {
        duplicates = JSON.parse(answer.payload.toString('utf8')).duplicates;
      } catch {
        duplicates = undefined;
      }
      exchanges.push({
        receivedAt,
        answeredAt,
        status: answer.status,
        duplicates,
        ...describeReport(request.headers, body),
      });
    } catch (error) {
      exchanges.push({ receivedAt, answeredAt: Date.now(), status: 0, error: error.message, seq: undefined });
      response.destroy();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    exchanges,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        upstream.destroy();
      }),
  };
}
