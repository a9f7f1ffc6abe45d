import { describeServiceBoot } from '@optralis/testing';

describeServiceBoot({ service: 'ai', portVariable: 'AI_PORT' });
