import { type DynamicModule, type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ChannelsModule } from '../../channels/channels.module';
import { TenantSettingsSource } from '../../shared/ports';
import { DeliveryModule } from '../delivery.module';
import { TestTenantSettings } from './test-tenant-settings';

@Module({})
class TestSettingsModule {
  static forRoot(settings: TestTenantSettings): DynamicModule {
    return {
      module: TestSettingsModule,
      global: true,
      providers: [{ provide: TenantSettingsSource, useValue: settings }],
      exports: [TenantSettingsSource],
    };
  }
}

export interface HarnessInput {
  databaseUrl: string;
  namespace: string;
  env?: Record<string, string>;
}

type AppStarter<T> = (input: HarnessInput & { modules: (Type<unknown> | DynamicModule)[] }) => Promise<T>;

export type DeliveryHarness<T> = T & { dataSource: DataSource; settings: TestTenantSettings };

/**
 * One alerting instance with channels and the outbox dispatcher, tenant settings under the test's control.
 * `start` is test/alerting-test-app's `startAlertingTestApp` (passed in: src must not import test/).
 */
export async function startDeliveryHarness<T extends { app: INestApplicationContext }>(
  start: AppStarter<T>,
  input: HarnessInput,
): Promise<DeliveryHarness<T>> {
  const settings = new TestTenantSettings();
  const started = await start({
    ...input,
    modules: [TestSettingsModule.forRoot(settings), ChannelsModule, DeliveryModule],
  });
  return { ...started, dataSource: started.app.get(DataSource), settings };
}
