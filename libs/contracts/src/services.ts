export const SERVICE_NAMES = ['gateway', 'ingest', 'auth', 'alerting', 'reports', 'ai'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  gateway: 8080,
  ingest: 8081,
  auth: 8082,
  alerting: 8083,
  reports: 8084,
  ai: 8085,
};
