import { Module } from '@nestjs/common';

import { ExportController } from './export.controller';
import { ExportService } from './export.service';

/** Streamed exports answered by services/ingest: Prometheus exposition and the hosts CSV. */
@Module({ controllers: [ExportController], providers: [ExportService] })
export class ExportModule {}
