import { describeServiceBoot } from '@optralis/testing';

describeServiceBoot({ service: 'reports', portVariable: 'REPORTS_PORT' });
