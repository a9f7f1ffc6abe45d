import 'reflect-metadata';

import { loadConfigOrExit } from '@optralis/config';
import { packageVersion, runService } from '@optralis/service-kit';

import { AppModule } from './app.module';
import { AuthEnv } from './config';

const config = loadConfigOrExit(AuthEnv);
void runService({
  module: AppModule.forRoot(config, packageVersion(__dirname)),
  port: config.AUTH_PORT,
  host: config.HOST,
});
