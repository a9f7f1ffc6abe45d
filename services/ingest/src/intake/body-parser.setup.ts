import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';

/** Every intake body arrives as a raw Buffer: gzip, snappy, protobuf or text are decoded by the intake, with its own limits. */
@Injectable()
export class BodyParserSetup implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: this.config.INGEST_MAX_BODY_BYTES },
      (_request, body, done) => done(null, body),
    );
  }
}
