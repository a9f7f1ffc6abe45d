import { z } from 'zod';

import { IsoTime } from '../schemas/common';
import {
  ByIdRequest,
  DeletedReply,
  EntityId,
  EntityName,
  ListCursor,
  ListLimit,
  listReply,
} from './alerting-common';
import { TokenActor } from './auth-tokens';

export const CHANNEL_TYPES = ['email', 'slack', 'teams', 'discord', 'pagerduty', 'webhook'] as const;
export const ChannelType = z.enum(CHANNEL_TYPES);
export type ChannelType = z.infer<typeof ChannelType>;

const HttpUrl = z
  .string()
  .max(2048)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL');

export const EmailChannelConfig = z
  .object({
    to: z.array(z.email().max(320)).min(1).max(50),
    subjectPrefix: z.string().max(100).default('[Optralis]'),
  })
  .strict();
export const SlackChannelConfig = z.object({ webhookUrl: HttpUrl }).strict();
export const TeamsChannelConfig = z.object({ webhookUrl: HttpUrl }).strict();
export const DiscordChannelConfig = z.object({ webhookUrl: HttpUrl }).strict();
export const PagerDutyChannelConfig = z
  .object({
    /** The Events API v2 integration key of a PagerDuty service. */
    routingKey: z.string().regex(/^[A-Za-z0-9]{20,64}$/, 'must be a PagerDuty integration key'),
  })
  .strict();
export const WebhookChannelConfig = z
  .object({
    url: HttpUrl,
    secret: z.string().min(16, 'must be at least 16 characters').max(512),
  })
  .strict();

/** Config fields that are secrets: sealed at rest, never returned (shown as `••••` + last 4 characters). */
export const CHANNEL_SECRET_FIELDS: Record<ChannelType, readonly string[]> = {
  email: [],
  slack: ['webhookUrl'],
  teams: ['webhookUrl'],
  discord: ['webhookUrl'],
  pagerduty: ['routingKey'],
  webhook: ['secret'],
};

const ChannelCommon = {
  name: EntityName,
  enabled: z.boolean().default(true),
  /** Notifications this channel may send per minute; the rest wait (never dropped). */
  rateLimitPerMinute: z.number().int().min(1).max(10_000).default(60),
  sendResolved: z.boolean().default(true),
};

export const ChannelInput = z.discriminatedUnion('type', [
  z.object({ ...ChannelCommon, type: z.literal('email'), config: EmailChannelConfig }).strict(),
  z.object({ ...ChannelCommon, type: z.literal('slack'), config: SlackChannelConfig }).strict(),
  z.object({ ...ChannelCommon, type: z.literal('teams'), config: TeamsChannelConfig }).strict(),
  z.object({ ...ChannelCommon, type: z.literal('discord'), config: DiscordChannelConfig }).strict(),
  z.object({ ...ChannelCommon, type: z.literal('pagerduty'), config: PagerDutyChannelConfig }).strict(),
  z.object({ ...ChannelCommon, type: z.literal('webhook'), config: WebhookChannelConfig }).strict(),
]);
export type ChannelInput = z.infer<typeof ChannelInput>;

export const Channel = z.object({
  id: EntityId,
  tenantId: z.string(),
  name: z.string(),
  type: ChannelType,
  enabled: z.boolean(),
  rateLimitPerMinute: z.number().int(),
  sendResolved: z.boolean(),
  /** The config with every secret field masked. */
  config: z.record(z.string(), z.unknown()),
  createdBy: z.string(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Channel = z.infer<typeof Channel>;

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export const DELIVERY_KINDS = ['firing', 'resolved', 'acknowledged', 'escalation', 'test'] as const;

export const Delivery = z.object({
  id: EntityId,
  channelId: EntityId,
  channelName: z.string(),
  channelType: ChannelType,
  alertId: EntityId.nullable(),
  kind: z.enum(DELIVERY_KINDS),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  createdAt: IsoTime,
  nextAttemptAt: IsoTime.nullable(),
  deliveredAt: IsoTime.nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

export const ChannelTestReply = z.object({
  delivered: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().nonnegative(),
});

export const alertingChannelsRpc = {
  'rpc.alerting.channels.list': {
    request: z
      .object({
        actor: TokenActor,
        type: ChannelType.optional(),
        limit: ListLimit,
        cursor: ListCursor.optional(),
      })
      .strict(),
    reply: listReply(Channel),
  },
  'rpc.alerting.channels.get': { request: ByIdRequest, reply: Channel },
  'rpc.alerting.channels.create': {
    request: z.object({ actor: TokenActor, channel: ChannelInput }).strict(),
    reply: Channel,
  },
  /** `changes` is merged onto the stored channel (secret fields left out keep their value); `type` cannot change. */
  'rpc.alerting.channels.update': {
    request: z
      .object({ actor: TokenActor, id: EntityId, changes: z.record(z.string(), z.unknown()) })
      .strict(),
    reply: Channel,
  },
  'rpc.alerting.channels.delete': { request: ByIdRequest, reply: DeletedReply },
  /** Sends a test notification now, outside the outbox, and says what the endpoint answered. */
  'rpc.alerting.channels.test': { request: ByIdRequest, reply: ChannelTestReply },
  'rpc.alerting.deliveries.list': {
    request: z
      .object({
        actor: TokenActor,
        channelId: EntityId.optional(),
        alertId: EntityId.optional(),
        status: z.enum(DELIVERY_STATUSES).optional(),
        limit: ListLimit,
        cursor: ListCursor.optional(),
      })
      .strict(),
    reply: listReply(Delivery),
  },
} as const;
