import 'reflect-metadata';

import { loadConfigOrExit } from '@optralis/config';
import { packageVersion, runService } from '@optralis/service-kit';

import { AppModule } from './app.module';
import { AlertingEnv } from './config';

const config = loadConfigOrExit(AlertingEnv);
void runService({
  module: AppModule.forRoot(config, packageVersion(__dirname)),
  port: config.ALERTING_PORT,
  host: config.HOST,
});
