import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { BodyParserSetup } from './body-parser.setup';
import { IngestTokenVerifier } from './ingest-token.verifier';
import { IntakeController } from './intake.controller';
import { IntakeService } from './intake.service';
import { ProblemFilter } from './problem.filter';
import { ReportPublisher } from './report.publisher';

@Module({
  controllers: [IntakeController],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    BodyParserSetup,
    IngestTokenVerifier,
    IntakeService,
    ReportPublisher,
  ],
})
export class IntakeModule {}
