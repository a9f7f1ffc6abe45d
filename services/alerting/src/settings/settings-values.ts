import { AnomalyDefaults, FlappingSettings } from '@optralis/contracts';

import type { AnomalySettings, FlappingPolicy } from '../shared/ports';

/** What is stored, with the contract's defaults for what is not (or no longer) valid. */
export function anomalyOf(stored: unknown): AnomalySettings {
  const parsed = AnomalyDefaults.safeParse(stored ?? {});
  return parsed.success ? parsed.data : AnomalyDefaults.parse({});
}

export function flappingOf(stored: unknown): FlappingPolicy {
  const parsed = FlappingSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : FlappingSettings.parse({});
}

export const smtpPasswordContext = (tenantId: string): string => `smtp:${tenantId}`;
