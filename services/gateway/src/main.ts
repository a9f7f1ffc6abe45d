import 'reflect-metadata';

import { loadConfigOrExit } from '@optralis/config';
import { packageVersion, runService } from '@optralis/service-kit';

import { AppModule } from './app.module';
import { GatewayEnv } from './config';

const config = loadConfigOrExit(GatewayEnv);
void runService({
  module: AppModule.forRoot(config, packageVersion(__dirname)),
  port: config.GATEWAY_PORT,
  host: config.HOST,
});
