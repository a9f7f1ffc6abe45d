import { Inject, Injectable } from '@nestjs/common';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';
import { existingHostWrite, type HostWrite, newHostWrite } from './host-changes';
import { hostWriteEvents, type OutboxEvent, type WrittenHost } from './host-events';
import { HostRegistryRepository, hostIdentity } from './host-registry.repository';
import type { SqlSession } from './sql-session.repository';
import type { HostBatch } from './write-plan';

export interface RegisteredHosts {
  /** By position in the plan's hosts. */
  keys: number[];
  seriesCounts: number[];
  newHosts: number;
  events: OutboxEvent[];
}

/** A host another writer registers between our lock and our insert is locked and updated on a second pass. */
const MAX_PASSES = 2;

/** Keeps `ingest.hosts` current from a write batch and says which host events that raises. */
@Injectable()
export class HostRegistryService {
  constructor(
    private readonly repository: HostRegistryRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  async register(session: SqlSession, hosts: HostBatch[]): Promise<RegisteredHosts> {
    const written = new Map<string, WrittenHost>();
    const writes = new Map<string, HostWrite>();
    let pending = hosts;
    for (let pass = 1; pending.length > 0; pass++) {
      if (pass > MAX_PASSES) throw new Error(`hosts could not be registered: ${pending.length} left`);
      const { states, now } = await this.repository.lock(session, pending);
      const updates: HostWrite[] = [];
      const inserts: HostWrite[] = [];
      for (const batch of pending) {
        const state = states.get(hostIdentity(batch));
        const write = state
          ? existingHostWrite({
              batch,
              state,
              nowMs: now.getTime(),
              missedIntervals: this.config.INGEST_OFFLINE_MISSED_INTERVALS,
            })
          : newHostWrite(batch);
        writes.set(hostIdentity(batch), write);
        (state ? updates : inserts).push(write);
      }
      if (updates.length > 0)
        for (const [id, host] of await this.repository.update(session, updates)) written.set(id, host);
      if (inserts.length > 0)
        for (const [id, host] of await this.repository.insert(session, inserts)) written.set(id, host);
      pending = pending.filter((batch) => !written.has(hostIdentity(batch)));
    }

    const result: RegisteredHosts = { keys: [], seriesCounts: [], newHosts: 0, events: [] };
    for (const batch of hosts) {
      const id = hostIdentity(batch);
      const host = written.get(id)!;
      result.keys.push(host.key);
      result.seriesCounts.push(host.seriesCount);
      if (host.inserted) result.newHosts++;
      result.events.push(...hostWriteEvents(writes.get(id)!, host));
    }
    return result;
  }
}
