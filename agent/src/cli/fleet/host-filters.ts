import { HOST_STATUSES, type HostStatus } from '@optralis/contracts';
import { type Command, Option } from 'commander';

import type { Query } from '../gateway-client';

export interface HostFilterOptions {
  status?: HostStatus;
  tag?: string;
  search?: string;
}

/** The filters `GET /api/v1/hosts` and its CSV export share. */
export function addHostFilterOptions(command: Command): Command {
  return command
    .addOption(new Option('--status <status>', 'only hosts in this state').choices(HOST_STATUSES))
    .option('--tag <tag>', 'only hosts carrying this tag')
    .option('--search <text>', 'part of the name, id or description');
}

export function hostFilterQuery(options: HostFilterOptions): Query {
  return { q: options.search, status: options.status, tag: options.tag };
}
