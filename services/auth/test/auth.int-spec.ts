import { describeServiceBoot } from '@optralis/testing';

describeServiceBoot({ service: 'auth', portVariable: 'AUTH_PORT' });
