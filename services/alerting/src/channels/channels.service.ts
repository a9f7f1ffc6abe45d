import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { ChannelInput, type ChannelType, type TokenActor } from '@optralis/contracts';
import type { TenantId } from '@optralis/db';

import { ALERTING_CONFIG } from '../alerting.config.provider';
import type { AlertingConfig } from '../config';
import { canRead, canWrite } from '../shared/actor-access';
import { AlertingError, AlertingErrorCode, invalid, invalidFromZod } from '../shared/alerting.errors';
import { AlertingAuditTrail } from '../shared/audit-trail';
import { ConfigChanges } from '../shared/config-changes';
import { decodeCursor, page } from '../shared/list-cursor';
import { SecretBox } from '../shared/secret-box';
import { maskedConfig, mergeChanges, splitSecrets, urlFields } from './channel-secrets';
import { type ChannelRecord, ChannelsRepository, type ChannelWrite } from './channels.repository';
import { checkOutboundUrl, UnsafeUrlError } from './outbound-url.guard';
import type { DeliverableChannel } from './senders/channel-sender';
import { ChannelSenders } from './senders/channel-senders';
import { testNotification } from './test-notification';

/** A channel as replies show it: secret fields masked, never the sealed text. */
export type ChannelView = Omit<ChannelRecord, 'sealedSecrets'>;

export interface ChannelTestResult {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const notFound = (id: string) =>
  new AlertingError(AlertingErrorCode.channelNotFound, `channel ${id} was not found`);

/** Notification channels: configuration with sealed secrets, and the test button. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly repository: ChannelsRepository,
    private readonly secretBox: SecretBox,
    private readonly audit: AlertingAuditTrail,
    private readonly changes: ConfigChanges,
    private readonly senders: ChannelSenders,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {}

  async list(
    actor: TokenActor,
    request: { type?: ChannelType; limit: number; cursor?: string },
  ): Promise<{ items: ChannelView[]; nextCursor: string | null }> {
    const tenantId = canRead(actor);
    const rows = await this.repository.list(tenantId, {
      type: request.type,
      after: decodeCursor(request.cursor),
      limit: request.limit + 1,
    });
    const result = page(rows, request.limit, (row) => ({ time: row.createdAt, id: row.id }));
    return { items: result.items.map((row) => this.view(row)), nextCursor: result.nextCursor };
  }

  async get(actor: TokenActor, id: string): Promise<ChannelView> {
    return this.view(await this.stored(canRead(actor), id));
  }

  async create(actor: TokenActor, input: ChannelInput): Promise<ChannelView> {
    const tenantId = canWrite(actor);
    await this.checkUrls(input.type, input.config);
    const id = randomUUID();
    const record = await this.repository.insert(tenantId, {
      id,
      type: input.type,
      createdBy: actor.userId,
      ...this.write(id, input),
    });
    await this.recorded(actor, 'channel.created', record, { name: record.name, type: record.type });
    return this.view(record);
  }

  async update(actor: TokenActor, id: string, changes: Record<string, unknown>): Promise<ChannelView> {
    const tenantId = canWrite(actor);
    const current = await this.stored(tenantId, id);
    if ('type' in changes && changes.type !== current.type) {
      throw invalid('type: a channel cannot change its type; create another channel');
    }
    const merged = mergeChanges(this.input(current), changes);
    if (typeof merged.config === 'object' && merged.config !== null) {
      await this.checkUrls(current.type, merged.config as Record<string, unknown>);
    }
    const parsed = ChannelInput.safeParse(merged);
    if (!parsed.success) throw invalidFromZod(parsed.error, 'changes');
    const record = await this.repository.update(tenantId, id, this.write(id, parsed.data));
    if (!record) throw notFound(id);
    const changed = Object.keys(changes).flatMap((key) =>
      key === 'config' && typeof changes.config === 'object' && changes.config !== null
        ? Object.keys(changes.config).map((field) => `config.${field}`)
        : [key],
    );
    await this.recorded(actor, 'channel.updated', record, { name: record.name, changed });
    return this.view(record);
  }

  async remove(actor: TokenActor, id: string): Promise<void> {
    const tenantId = canWrite(actor);
    const current = await this.stored(tenantId, id);
    const removal = await this.repository.remove(tenantId, id);
    if (removal === 'not_found') throw notFound(id);
    if (removal === 'in_use') {
      throw new AlertingError(
        AlertingErrorCode.channelInUse,
        `channel ${id} is used by a rule or an escalation policy; remove it there first`,
      );
    }
    await this.recorded(actor, 'channel.deleted', current, { name: current.name, type: current.type });
  }

  /** Sends a `test` notification now, outside the outbox; disabled channels can be tested too. */
  async test(actor: TokenActor, id: string): Promise<ChannelTestResult> {
    const tenantId = canWrite(actor);
    const channel = this.deliverableOf(await this.stored(tenantId, id));
    const result = await this.senders.send(channel, testNotification(channel));
    return {
      delivered: result.outcome === 'delivered',
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
    };
  }

  /** The channel with its secrets unsealed, for sending; null once deleted. */
  async deliverable(tenantId: TenantId, id: string): Promise<DeliverableChannel | null> {
    const record = await this.repository.find(tenantId, id);
    return record ? this.deliverableOf(record) : null;
  }

  private async stored(tenantId: TenantId, id: string): Promise<ChannelRecord> {
    const record = await this.repository.find(tenantId, id);
    if (!record) throw notFound(id);
    return record;
  }

  private unsealedConfig(record: ChannelRecord): Record<string, unknown> {
    if (!record.sealedSecrets) return record.config;
    const secrets = JSON.parse(this.secretBox.open(record.sealedSecrets, record.id)) as Record<
      string,
      string
    >;
    return { ...record.config, ...secrets };
  }

  private deliverableOf(record: ChannelRecord): DeliverableChannel {
    const { sealedSecrets: _sealed, createdBy: _by, createdAt: _at, updatedAt: _updated, ...rest } = record;
    return { ...rest, config: this.unsealedConfig(record) };
  }

  private input(record: ChannelRecord): ChannelInput {
    return {
      name: record.name,
      type: record.type,
      enabled: record.enabled,
      rateLimitPerMinute: record.rateLimitPerMinute,
      sendResolved: record.sendResolved,
      config: this.unsealedConfig(record),
    } as ChannelInput;
  }

  private write(id: string, input: ChannelInput): ChannelWrite {
    const { open, secrets } = splitSecrets(input.type, input.config);
    return {
      name: input.name,
      enabled: input.enabled,
      rateLimitPerMinute: input.rateLimitPerMinute,
      sendResolved: input.sendResolved,
      config: open,
      sealedSecrets: secrets ? this.secretBox.seal(JSON.stringify(secrets), id) : null,
    };
  }

  private view(record: ChannelRecord): ChannelView {
    const { sealedSecrets: _sealed, ...rest } = record;
    return { ...rest, config: maskedConfig(record.type, this.unsealedConfig(record)) };
  }

  /** Refuses URLs to loopback, private or link-local addresses (sending checks again, on the connection). */
  private async checkUrls(type: ChannelType, config: Record<string, unknown>): Promise<void> {
    for (const field of urlFields(type)) {
      const value = config[field];
      // What does not parse as a URL is the schema's to refuse (invalid_request).
      if (typeof value !== 'string' || !URL.canParse(value)) continue;
      try {
        await checkOutboundUrl(value, this.config.OPTRALIS_OUTBOUND_ALLOW_PRIVATE);
      } catch (error) {
        if (!(error instanceof UnsafeUrlError)) throw error;
        throw new AlertingError(AlertingErrorCode.unsafeUrl, `config.${field}: ${error.message}`);
      }
    }
  }

  private async recorded(
    actor: TokenActor,
    action: string,
    channel: ChannelRecord,
    data: Record<string, unknown>,
  ): Promise<void> {
    this.changes.notify({ kind: 'channels', tenantId: channel.tenantId });
    await this.audit.record({ actor, action, target: { type: 'channel', id: channel.id }, data });
  }
}
