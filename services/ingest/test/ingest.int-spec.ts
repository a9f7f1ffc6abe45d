import { describeServiceBoot } from '@optralis/testing';

describeServiceBoot({ service: 'ingest', portVariable: 'INGEST_PORT' });
