// The webhook channel's endpoint (CONTRACT.md, webhook delivery): checks `X-Optralis-Signature`
// (`sha256=` + hex HMAC-SHA256 of `X-Optralis-Timestamp + "." + body` with the channel secret), drops
// repeats of one `X-Optralis-Delivery`, and keeps each notification with the time its body arrived.
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;
const KEPT_REJECTIONS = 5;

function signatureValid(secret, timestamp, body, signature) {
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startWebhookReceiver(secret) {
  /** { receivedAtMs, deliveryId, notification } in arrival order, signature checked, repeats dropped. */
  const notifications = [];
  const rejections = [];
  const seenDeliveries = new Set();
  let repeats = 0;
  let rejected = 0;
  let onNotification = () => undefined;

  const reject = (response, status, reason) => {
    rejected++;
    if (rejections.length < KEPT_REJECTIONS) rejections.push(`${status} ${reason}`);
    response.writeHead(status, { 'content-type': 'text/plain' }).end(reason);
  };

  const server = createServer((request, response) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const receivedAtMs = Date.now();
      if (request.method !== 'POST') return reject(response, 405, `${request.method} is not POST`);
      if (size > MAX_BODY_BYTES) return reject(response, 413, `body of ${size} bytes`);
      const body = Buffer.concat(chunks);
      const timestamp = request.headers['x-optralis-timestamp'];
      if (!signatureValid(secret, timestamp, body, request.headers['x-optralis-signature'])) {
        return reject(response, 401, 'X-Optralis-Signature missing or wrong');
      }
      let notification;
      try {
        notification = JSON.parse(body.toString('utf8'));
      } catch (error) {
        return reject(response, 400, `body is not JSON: ${error.message}`);
      }
      const deliveryId = request.headers['x-optralis-delivery'] ?? notification.deliveryId;
      response.writeHead(204).end();
      if (deliveryId && seenDeliveries.has(deliveryId)) return void repeats++;
      if (deliveryId) seenDeliveries.add(deliveryId);
      const entry = { receivedAtMs, deliveryId, notification };
      notifications.push(entry);
      onNotification(entry);
    });
    request.on('error', () => response.destroy());
  });
  server.keepAliveTimeout = 65_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/optralis-webhook`,
    notifications,
    rejections,
    get rejected() {
      return rejected;
    },
    get repeats() {
      return repeats;
    },
    /** One callback per accepted notification (the matcher's). */
    onNotification(callback) {
      onNotification = callback;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
