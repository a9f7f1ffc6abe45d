import { describeServiceBoot } from '@optralis/testing';

describeServiceBoot({ service: 'alerting', portVariable: 'ALERTING_PORT' });
