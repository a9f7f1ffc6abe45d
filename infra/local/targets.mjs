// Where NATS and Postgres are expected, read from NATS_URL and DATABASE_URL (CONTRACT.md defaults).
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/optralis';

export function natsTarget(natsUrl = process.env.NATS_URL || DEFAULT_NATS_URL) {
  const raw = natsUrl.split(',')[0].trim();
  const url = new URL(raw.includes('://') ? raw : `nats://${raw}`);
  return { url: raw, host: url.hostname, port: Number(url.port || 4222) };
}

export function databaseTarget(databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL) {
  const url = new URL(databaseUrl);
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  return {
    url: databaseUrl,
    shown: databaseUrl.replace(/:[^:@/]*@/, ':***@'),
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    adminUrl: adminUrl.toString(),
  };
}
