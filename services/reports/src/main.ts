import 'reflect-metadata';

import { loadConfigOrExit } from '@optralis/config';
import { packageVersion, runService } from '@optralis/service-kit';

import { AppModule } from './app.module';
import { ReportsEnv } from './config';

const config = loadConfigOrExit(ReportsEnv);
void runService({
  module: AppModule.forRoot(config, packageVersion(__dirname)),
  port: config.REPORTS_PORT,
  host: config.HOST,
});
