import { Module } from '@nestjs/common';

import { SettingsModule } from '../settings/settings.module';
import { ChannelsRepository } from './channels.repository';
import { ChannelsRpc } from './channels.rpc';
import { ChannelsService } from './channels.service';
import { ChannelSenders } from './senders/channel-senders';
import { DiscordSender } from './senders/discord.sender';
import { EmailSender } from './senders/email.sender';
import { PagerDutySender } from './senders/pagerduty.sender';
import { SlackSender } from './senders/slack.sender';
import { TeamsSender } from './senders/teams.sender';
import { WebhookSender } from './senders/webhook.sender';

/** Notification channels (`rpc.alerting.channels.*`) and the senders that speak each channel's protocol. */
@Module({
  imports: [SettingsModule],
  controllers: [ChannelsRpc],
  providers: [
    ChannelsRepository,
    ChannelsService,
    ChannelSenders,
    EmailSender,
    SlackSender,
    TeamsSender,
    DiscordSender,
    PagerDutySender,
    WebhookSender,
  ],
  exports: [ChannelsService, ChannelSenders],
})
export class ChannelsModule {}
