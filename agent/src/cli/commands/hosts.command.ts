import { HostSummary } from '@optralis/contracts';
import type { Command } from 'commander';

import { positiveInteger } from '../cli-options';
import { type CliContext, type CommandSession, openSession } from '../cli-context';
import { CliError } from '../cli-errors';
import { addHostFilterOptions, type HostFilterOptions, hostFilterQuery } from '../fleet/host-filters';
import { operatingSystems } from '../fleet/host-os';
import { formatAgo } from '../format/duration';
import { renderTable } from '../format/table';
import { terminalText } from '../format/terminal-text';
import type { Query } from '../gateway-client';

interface HostsOptions extends HostFilterOptions {
  limit?: number;
  json?: boolean;
}

async function osColumn(session: CommandSession, filters: Query, hosts: HostSummary[]) {
  try {
    return await operatingSystems({ client: session.client, filters, hostIds: hosts.map((host) => host.id) });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    session.note(`optralis: OS column left empty: ${terminalText(error.message)}`);
    return new Map<string, string>();
  }
}

export function registerHostsCommand(program: Command, context: CliContext): void {
  const command = program.command('hosts').description('list the hosts of your tenant, by name');
  addHostFilterOptions(command)
    .option('--limit <n>', 'at most this many hosts (default: all)', positiveInteger)
    .option('--json', 'print the hosts as JSON')
    .action(async (options: HostsOptions, self: Command) => {
      const session = openSession(context, self);
      const filters = hostFilterQuery(options);
      const progress = session.progress();
      const { items } = await session.client.list({
        path: 'api/v1/hosts',
        query: filters,
        item: HostSummary,
        limit: options.limit,
        onPage: (count) => progress.update(`${count} hosts…`),
      });
      progress.done();
      if (options.json) return session.printJson(items);
      if (items.length === 0) return session.note('no hosts match');
      const systems = await osColumn(session, filters, items);
      const rows = items.map((host) => [
        host.id,
        host.name,
        host.status,
        formatAgo(host.lastSeen, session.now),
        host.tags.join(', '),
        systems.get(host.id) ?? '',
      ]);
      session.print(renderTable(['ID', 'NAME', 'STATUS', 'LAST SEEN', 'TAGS', 'OS'], rows));
    });
}
