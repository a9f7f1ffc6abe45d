import { describeServiceBoot } from '@optralis/testing';

describeServiceBoot({ service: 'gateway', portVariable: 'GATEWAY_PORT' });
