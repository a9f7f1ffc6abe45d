import 'reflect-metadata';

import { loadConfigOrExit } from '@optralis/config';
import { packageVersion, runService } from '@optralis/service-kit';

import { AppModule } from './app.module';
import { AiEnv } from './config';

const config = loadConfigOrExit(AiEnv);
void runService({
  module: AppModule.forRoot(config, packageVersion(__dirname)),
  port: config.AI_PORT,
  host: config.HOST,
});
