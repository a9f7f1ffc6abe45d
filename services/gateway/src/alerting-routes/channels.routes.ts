import {
  Channel,
  ChannelInput,
  ChannelTestReply,
  ChannelType,
  DELIVERY_STATUSES,
  Delivery,
  EntityId,
} from '@optralis/contracts';
import { z } from 'zod';

import { CursorQuery, IdParams, limitQuery, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';
import { changesOf } from './alerting.schemas';

const ChannelSchema = component('Channel', Channel);
const DeliveryPage = pageOf('DeliveryPage', component('Delivery', Delivery));
const { type: _type, config: _config, ...channelFields } = ChannelInput.options[0].shape;

export const listChannelsRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listChannels',
  summary: 'Notification channels of the tenant (secret config fields are masked)',
  access: 'observer',
  query: z.strictObject({ type: ChannelType.optional(), limit: limitQuery(500, 50), cursor: CursorQuery }),
  response: pageOf('ChannelPage', ChannelSchema),
});

export const createChannelRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createChannel',
  summary: 'Add an email, Slack, Teams, Discord, PagerDuty or webhook channel',
  description: 'Secret config fields (webhook secret, chat webhook URLs, routing keys) are never answered.',
  access: 'editor',
  body: component('CreateChannelRequest', ChannelInput),
  response: ChannelSchema,
  status: 201,
  examples: {
    body: {
      name: 'ops',
      type: 'webhook',
      config: { url: 'https://hooks.example.com/optralis', secret: 'a-long-shared-secret' },
    },
  },
});

export const getChannelRoute = defineRoute({
  method: 'GET',
  path: ':id',
  operationId: 'getChannel',
  summary: 'One channel (secret config fields are masked)',
  access: 'observer',
  params: IdParams,
  response: ChannelSchema,
  errors: [404],
});

export const updateChannelRoute = defineRoute({
  method: 'PATCH',
  path: ':id',
  operationId: 'updateChannel',
  summary: 'Change a channel; `config` is merged onto the stored one',
  description: 'Secret config fields left out keep their value; `type` cannot change.',
  access: 'editor',
  params: IdParams,
  body: component(
    'UpdateChannelRequest',
    changesOf({ ...channelFields, config: z.record(z.string(), z.unknown()) }),
  ),
  response: ChannelSchema,
  errors: [404],
  examples: { body: { enabled: false, config: { url: 'https://hooks.example.com/v2' } } },
});

export const deleteChannelRoute = defineRoute({
  method: 'DELETE',
  path: ':id',
  operationId: 'deleteChannel',
  summary: 'Remove a channel no rule or escalation policy uses',
  access: 'editor',
  params: IdParams,
  status: 204,
  errors: [404, 409],
});

export const testChannelRoute = defineRoute({
  method: 'POST',
  path: ':id/test',
  operationId: 'testChannel',
  summary: 'Send a test notification now and answer what the endpoint said',
  access: 'editor',
  params: IdParams,
  response: component('ChannelTestResult', ChannelTestReply),
  errors: [404],
});

const DeliveryFilters = {
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: limitQuery(500, 50),
  cursor: CursorQuery,
};

export const channelDeliveriesRoute = defineRoute({
  method: 'GET',
  path: ':id/deliveries',
  operationId: 'listChannelDeliveries',
  summary: 'Notifications sent (or being sent) through one channel, newest first',
  access: 'observer',
  params: IdParams,
  query: z.strictObject(DeliveryFilters),
  response: DeliveryPage,
  errors: [404],
});

export const listDeliveriesRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listDeliveries',
  summary: 'Notifications of the tenant, newest first',
  access: 'observer',
  query: z.strictObject({
    channelId: EntityId.optional(),
    alertId: EntityId.optional(),
    ...DeliveryFilters,
  }),
  response: DeliveryPage,
});
