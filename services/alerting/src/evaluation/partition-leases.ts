import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** Advisory-lock class of alerting partitions (the second key is the partition number). */
const LOCK_CLASS = 0x41_4c_52_54; // "ALRT"

/**
 * Session advisory locks on one dedicated connection: a partition is evaluated by the instance holding its
 * lock. When the instance dies, Postgres ends its session and the locks free themselves for another instance.
 */
export class PartitionLeases {
  private readonly logger = new Logger(PartitionLeases.name);
  private client?: Client;
  private readonly held = new Set<number>();
  private onLost: () => void = () => undefined;

  constructor(private readonly databaseUrl: string) {}

  /** Called once when the lock connection breaks: every lease is gone with it. */
  whenLost(listener: () => void): void {
    this.onLost = listener;
  }

  heldPartitions(): number[] {
    return [...this.held];
  }

  /** Takes every wanted partition nobody holds; returns the ones newly taken. */
  async acquire(wanted: number[]): Promise<number[]> {
    const client = await this.connection();
    const taken: number[] = [];
    for (const partition of wanted) {
      if (this.held.has(partition)) continue;
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, $2) AS "locked"',
        [LOCK_CLASS, partition],
      );
      if (rows[0]?.locked) {
        this.held.add(partition);
        taken.push(partition);
      }
    }
    return taken;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.held.clear();
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'optralis-alerting-leases',
    });
    client.on('error', (error) => {
      this.logger.warn({ error: error.message }, 'partition lease connection lost');
      if (this.client !== client) return;
      this.client = undefined;
      this.held.clear();
      this.onLost();
    });
    await client.connect();
    this.client = client;
    return client;
  }
}
