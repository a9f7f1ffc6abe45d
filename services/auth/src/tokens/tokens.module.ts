import { type DynamicModule, Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import {
  BOOTSTRAP_INGEST_OPTIONS,
  BootstrapIngestToken,
  type BootstrapIngestOptions,
} from './bootstrap-ingest-token.service';
import { TokenCache } from './token-cache';
import { TokenRevocations } from './token-revocations.subscriber';
import { CLOCK, TokenVerifier } from './token-verifier.service';
import { TokensRepository } from './tokens.repository';
import { TokensRpc } from './tokens.rpc';
import { TokensService } from './tokens.service';

const CACHE = { maxEntries: 50_000, positiveTtlMs: 5 * 60_000, negativeTtlMs: 5_000 };
const BOOTSTRAP_DEFAULTS = {
  pollIntervalMs: 500,
  waitForTenantMs: 5 * 60_000,
  print: (line: string) => process.stdout.write(`${line}\n`),
};

@Module({})
export class TokensModule {
  static forRoot(bootstrap: Partial<BootstrapIngestOptions> = {}): DynamicModule {
    return {
      module: TokensModule,
      imports: [AuditModule],
      controllers: [TokensRpc],
      providers: [
        { provide: TokenCache, useFactory: () => new TokenCache(CACHE) },
        { provide: CLOCK, useValue: Date.now },
        { provide: BOOTSTRAP_INGEST_OPTIONS, useValue: { ...BOOTSTRAP_DEFAULTS, ...bootstrap } },
        TokensRepository,
        TokenVerifier,
        TokenRevocations,
        TokensService,
        BootstrapIngestToken,
      ],
    };
  }
}
