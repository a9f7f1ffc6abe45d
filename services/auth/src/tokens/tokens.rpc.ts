import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { ParsedRequestOf, ReplyOf } from '@optralis/contracts';
import { RpcError, RpcMethod } from '@optralis/nats';

import { TokenVerifier } from './token-verifier.service';
import type { TokenRecord } from './token.types';
import { TokenError } from './tokens.errors';
import { TokensService } from './tokens.service';

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TokenError) throw new RpcError(error.code, error.message);
    throw error;
  }
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

function ingestSummary(record: TokenRecord): ReplyOf<'rpc.auth.ingestTokens.list'>['items'][number] {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    createdAt: record.createdAt.toISOString(),
    createdBy: record.createdBy,
    lastUsedAt: iso(record.lastUsedAt),
    revokedAt: iso(record.revokedAt),
  };
}

function apiSummary(record: TokenRecord): ReplyOf<'rpc.auth.apiTokens.list'>['items'][number] {
  return { ...ingestSummary(record), role: record.role ?? 'observer', expiresAt: iso(record.expiresAt) };
}

function revoked(record: TokenRecord): ReplyOf<'rpc.auth.apiTokens.revoke'> {
  return { id: record.id, revokedAt: (record.revokedAt ?? new Date()).toISOString() };
}

/** `rpc.auth.apiTokens.*`, `rpc.auth.ingestTokens.*` and `rpc.auth.tokens.verify`. */
@Controller()
export class TokensRpc {
  constructor(
    private readonly tokens: TokensService,
    private readonly verifier: TokenVerifier,
  ) {}

  @RpcMethod('rpc.auth.apiTokens.create')
  createApiToken(
    @Payload() request: ParsedRequestOf<'rpc.auth.apiTokens.create'>,
  ): Promise<ReplyOf<'rpc.auth.apiTokens.create'>> {
    return mapped(async () => {
      const { record, token } = await this.tokens.create(request.actor, 'api', {
        name: request.name,
        role: request.role,
        expiresAt: request.expiresAt ? new Date(request.expiresAt) : null,
      });
      return { ...apiSummary(record), token };
    });
  }

  @RpcMethod('rpc.auth.apiTokens.list')
  listApiTokens(
    @Payload() request: ParsedRequestOf<'rpc.auth.apiTokens.list'>,
  ): Promise<ReplyOf<'rpc.auth.apiTokens.list'>> {
    return mapped(async () => ({
      items: (await this.tokens.list(request.actor, 'api', request.includeRevoked)).map(apiSummary),
    }));
  }

  @RpcMethod('rpc.auth.apiTokens.revoke')
  revokeApiToken(
    @Payload() request: ParsedRequestOf<'rpc.auth.apiTokens.revoke'>,
  ): Promise<ReplyOf<'rpc.auth.apiTokens.revoke'>> {
    return mapped(async () => revoked(await this.tokens.revoke(request.actor, 'api', request.id)));
  }

  @RpcMethod('rpc.auth.ingestTokens.create')
  createIngestToken(
    @Payload() request: ParsedRequestOf<'rpc.auth.ingestTokens.create'>,
  ): Promise<ReplyOf<'rpc.auth.ingestTokens.create'>> {
    return mapped(async () => {
      const { record, token } = await this.tokens.create(request.actor, 'ingest', { name: request.name });
      return { ...ingestSummary(record), token };
    });
  }

  @RpcMethod('rpc.auth.ingestTokens.list')
  listIngestTokens(
    @Payload() request: ParsedRequestOf<'rpc.auth.ingestTokens.list'>,
  ): Promise<ReplyOf<'rpc.auth.ingestTokens.list'>> {
    return mapped(async () => ({
      items: (await this.tokens.list(request.actor, 'ingest', request.includeRevoked)).map(ingestSummary),
    }));
  }

  @RpcMethod('rpc.auth.ingestTokens.revoke')
  revokeIngestToken(
    @Payload() request: ParsedRequestOf<'rpc.auth.ingestTokens.revoke'>,
  ): Promise<ReplyOf<'rpc.auth.ingestTokens.revoke'>> {
    return mapped(async () => revoked(await this.tokens.revoke(request.actor, 'ingest', request.id)));
  }

  @RpcMethod('rpc.auth.tokens.verify')
  verify(
    @Payload() request: ParsedRequestOf<'rpc.auth.tokens.verify'>,
  ): Promise<ReplyOf<'rpc.auth.tokens.verify'>> {
    return mapped(() => this.verifier.verify(request.token));
  }
}
