import type { SeriesPoints } from '@optralis/contracts';

import type { AgentPlatform } from './platform';

/** `GET /api/v1<path>` through the gateway with the tenant's API token; anything but 200 throws with the body. */
export async function gatewayGet<T>(platform: AgentPlatform, path: string): Promise<T> {
  const response = await fetch(`${platform.gatewayUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${platform.apiToken}` },
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Raw points: a 1 s step stays below the 60 s where the API switches to the 1-minute rollup. */
export function rawSeries(
  platform: AgentPlatform,
  hostId: string,
  name: string,
  since: number,
): Promise<{ series: SeriesPoints[] }> {
  const query = new URLSearchParams({
    name,
    from: new Date(since - 60_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
    step: '1s',
    maxPoints: '10000',
  });
  return gatewayGet(platform, `/hosts/${encodeURIComponent(hostId)}/metrics?${query}`);
}
