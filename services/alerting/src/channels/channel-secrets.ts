import { CHANNEL_SECRET_FIELDS, type ChannelInput, type ChannelType } from '@optralis/contracts';

const MASK = '••••';

/** `••••` and the last 4 characters: enough to recognise a secret, not to use it. */
export function maskSecret(value: string): string {
  return value.length >= 8 ? `${MASK}${value.slice(-4)}` : MASK;
}

export interface SplitConfig {
  /** Stored in clear. */
  open: Record<string, unknown>;
  /** Sealed; null when the type has no secret field. */
  secrets: Record<string, string> | null;
}

export function splitSecrets(type: ChannelType, config: Record<string, unknown>): SplitConfig {
  const fields = CHANNEL_SECRET_FIELDS[type];
  const open: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (fields.includes(key)) secrets[key] = String(value);
    else open[key] = value;
  }
  return { open, secrets: fields.length > 0 ? secrets : null };
}

/** The config as replies show it: every secret field masked. */
export function maskedConfig(type: ChannelType, config: Record<string, unknown>): Record<string, unknown> {
  const masked = { ...config };
  for (const field of CHANNEL_SECRET_FIELDS[type]) {
    const value = masked[field];
    if (typeof value === 'string') masked[field] = maskSecret(value);
  }
  return masked;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The stored channel with `changes` laid over it, for validation as a whole. Config is merged field by
 * field; a secret field left out, or sent back in its masked form, keeps its value.
 */
export function mergeChanges(
  current: ChannelInput,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const { config: configChanges, ...rest } = changes;
  if (!isPlainObject(configChanges)) {
    return { ...current, ...rest, config: configChanges === undefined ? current.config : configChanges };
  }
  const stored = current.config as Record<string, unknown>;
  const config: Record<string, unknown> = { ...stored, ...configChanges };
  for (const field of CHANNEL_SECRET_FIELDS[current.type]) {
    const value = configChanges[field];
    const kept = stored[field];
    if (value === undefined || (typeof kept === 'string' && value === maskSecret(kept))) config[field] = kept;
  }
  return { ...current, ...rest, config };
}

/** The config fields of a type that are URLs this service will call. */
export function urlFields(type: ChannelType): string[] {
  switch (type) {
    case 'slack':
    case 'teams':
    case 'discord':
      return ['webhookUrl'];
    case 'webhook':
      return ['url'];
    default:
      return [];
  }
}
