import { HostSummary } from '@optralis/contracts';

import { CliError, ExitCode } from '../cli-errors';
import { terminalText } from '../format/terminal-text';
import type { GatewayClient } from '../gateway-client';

/** The longest `q` the host list accepts. */
const MAX_SEARCH_LENGTH = 200;
const MAX_LISTED = 10;

function listed(hosts: readonly HostSummary[]): string {
  const shown = hosts.slice(0, MAX_LISTED).map((host) => `${host.name} (${host.id})`);
  const rest = hosts.length > MAX_LISTED ? `, and ${hosts.length - MAX_LISTED} more` : '';
  return terminalText(shown.join(', ') + rest);
}

/**
 * The host a person named by its id or its name. The list's search (name, id or description) narrows
 * the candidates; only an exact id or name counts.
 */
export async function resolveHost(client: GatewayClient, reference: string): Promise<HostSummary> {
  const { items } = await client.list({
    path: 'api/v1/hosts',
    query: { q: reference.length <= MAX_SEARCH_LENGTH ? reference : undefined },
    item: HostSummary,
  });
  const byId = items.find((host) => host.id === reference);
  if (byId) return byId;
  const byName = items.filter((host) => host.name === reference);
  if (byName.length === 1) return byName[0];
  const name = terminalText(reference);
  if (byName.length > 1) {
    throw new CliError(
      `${byName.length} hosts are named "${name}": ${listed(byName)}; name one by its id`,
      ExitCode.Usage,
    );
  }
  const near = items.filter((host) => host.name.toLowerCase().includes(reference.toLowerCase()));
  const hint = near.length > 0 ? ` (did you mean ${listed(near)}?)` : '';
  throw new CliError(`no host with the id or name "${name}"${hint}`, ExitCode.NotFound);
}
