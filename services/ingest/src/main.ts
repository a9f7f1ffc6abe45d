import 'reflect-metadata';

import { loadConfigOrExit } from '@optralis/config';
import { packageVersion, runService } from '@optralis/service-kit';

import { AppModule } from './app.module';
import { IngestEnv } from './config';

const config = loadConfigOrExit(IngestEnv);
void runService({
  module: AppModule.forRoot(config, packageVersion(__dirname)),
  port: config.INGEST_PORT,
  host: config.HOST,
});
