import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcMethod } from '@optralis/nats';

import { answer } from '../shared/alerting.errors';
import { type ChannelView, ChannelsService } from './channels.service';

type ChannelReply = ReplyOf<'rpc.alerting.channels.get'>;

function reply(channel: ChannelView): ChannelReply {
  return {
    ...channel,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}

/** `rpc.alerting.channels.*`: notification channels as the gateway lists, edits and tests them. */
@Controller()
export class ChannelsRpc {
  constructor(private readonly channels: ChannelsService) {}

  @RpcMethod('rpc.alerting.channels.list')
  list(
    @Payload() request: ParsedRequestOf<'rpc.alerting.channels.list'>,
  ): Promise<ReplyOf<'rpc.alerting.channels.list'>> {
    return answer(async () => {
      const { actor, ...query } = request;
      const result = await this.channels.list(actor, query);
      return { items: result.items.map(reply), nextCursor: result.nextCursor };
    });
  }

  @RpcMethod('rpc.alerting.channels.get')
  get(@Payload() request: ParsedRequestOf<'rpc.alerting.channels.get'>): Promise<ChannelReply> {
    return answer(async () => reply(await this.channels.get(request.actor, request.id)));
  }

  @RpcMethod('rpc.alerting.channels.create')
  create(@Payload() request: ParsedRequestOf<'rpc.alerting.channels.create'>): Promise<ChannelReply> {
    return answer(async () => reply(await this.channels.create(request.actor, request.channel)));
  }

  @RpcMethod('rpc.alerting.channels.update')
  update(@Payload() request: ParsedRequestOf<'rpc.alerting.channels.update'>): Promise<ChannelReply> {
    return answer(async () => reply(await this.channels.update(request.actor, request.id, request.changes)));
  }

  @RpcMethod('rpc.alerting.channels.delete')
  delete(
    @Payload() request: ParsedRequestOf<'rpc.alerting.channels.delete'>,
  ): Promise<ReplyOf<'rpc.alerting.channels.delete'>> {
    return answer(async () => {
      await this.channels.remove(request.actor, request.id);
      return { id: request.id, deleted: true as const };
    });
  }

  @RpcMethod('rpc.alerting.channels.test')
  test(
    @Payload() request: ParsedRequestOf<'rpc.alerting.channels.test'>,
  ): Promise<ReplyOf<'rpc.alerting.channels.test'>> {
    return answer(() => this.channels.test(request.actor, request.id));
  }
}
