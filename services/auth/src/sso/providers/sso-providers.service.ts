import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { OidcProviderConfig, SamlProviderConfig, type SsoProviderView } from '@optralis/contracts';
import { asTenantId } from '@optralis/db';
import type { z } from 'zod';

import { type Actor, requireRole } from '../../shared/actor';
import { AuditTrail } from '../../shared/audit.trail';
import { AUTH_CONFIG, type AuthConfig } from '../../shared/auth-config';
import { AuthError, CommonErrorCode } from '../../shared/auth-error';
import { SsoProvidersRepository, type SsoProviderRecord, type SsoType } from './sso-providers.repository';
import { SsoSecrets } from './sso-secrets';
import { insecureLoopbackAllowed, ssoUrls } from './sso-urls';

export type NewProvider =
  | { name: string; type: 'oidc'; config: OidcProviderConfig; enabled: boolean }
  | { name: string; type: 'saml'; config: SamlProviderConfig; enabled: boolean };

export interface ProviderChange {
  name?: string;
  enabled?: boolean;
  config?: Record<string, unknown>;
}

/** Stands for the stored client secret while a changed OIDC config is checked again. */
const KEPT_SECRET = '(kept)';

@Injectable()
export class SsoProvidersService {
  constructor(
    private readonly providers: SsoProvidersRepository,
    private readonly secrets: SsoSecrets,
    private readonly audit: AuditTrail,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async create(actor: Actor, input: NewProvider): Promise<SsoProviderView> {
    requireRole(actor, 'admin');
    this.requireSecureUrls(input.type, input.config);
    const id = randomUUID();
    const { config, sealedSecret } = this.split(id, input.type, input.config);
    const record = await this.providers.create(asTenantId(actor.tenantId), {
      id,
      name: input.name,
      type: input.type,
      enabled: input.enabled,
      config,
      sealedSecret,
    });
    if (!record) throw new AuthError(CommonErrorCode.Conflict, 'a provider of that name exists');
    await this.record(actor, 'sso_provider.created', record, { fields: Object.keys(input.config) });
    return this.view(record);
  }

  async list(actor: Actor): Promise<SsoProviderView[]> {
    requireRole(actor, 'admin');
    return (await this.providers.list(asTenantId(actor.tenantId))).map((record) => this.view(record));
  }

  async get(actor: Actor, providerId: string): Promise<SsoProviderView> {
    return this.view(await this.owned(actor, providerId));
  }

  async update(actor: Actor, providerId: string, change: ProviderChange): Promise<SsoProviderView> {
    const current = await this.owned(actor, providerId);
    let config = current.config;
    let sealedSecret = current.sealedSecret;
    if (change.config) {
      const merged = { ...current.config, ...(current.type === 'oidc' && { clientSecret: KEPT_SECRET }) };
      const parsed = this.parse(current.type, { ...merged, ...change.config });
      this.requireSecureUrls(current.type, parsed);
      const split = this.split(current.id, current.type, parsed);
      config = split.config;
      if (split.sealedSecret && change.config.clientSecret !== undefined) sealedSecret = split.sealedSecret;
    }
    const updated = await this.providers.update(current.tenantId, current.id, {
      name: change.name ?? current.name,
      enabled: change.enabled ?? current.enabled,
      config,
      sealedSecret,
    });
    if (updated === 'conflict')
      throw new AuthError(CommonErrorCode.Conflict, 'a provider of that name exists');
    if (!updated) throw this.notFound();
    await this.record(actor, 'sso_provider.updated', updated, {
      fields: [...Object.keys(change.config ?? {}), ...Object.keys(change).filter((key) => key !== 'config')],
    });
    return this.view(updated);
  }

  async delete(actor: Actor, providerId: string): Promise<{ done: true }> {
    const current = await this.owned(actor, providerId);
    if (!(await this.providers.delete(current.tenantId, current.id))) throw this.notFound();
    await this.record(actor, 'sso_provider.deleted', current, {});
    return { done: true };
  }

  /** An enabled provider of this type with its secret opened, for a login; anything else is not_found. */
  async forLogin(providerId: string, type: SsoType): Promise<{ record: SsoProviderRecord; secret?: string }> {
    const record = await this.providers.findForLogin(providerId);
    if (!record || record.type !== type) throw this.notFound();
    const secret = record.sealedSecret
      ? this.secrets.open(record.sealedSecret, this.aad(record.id))
      : undefined;
    return { record, secret };
  }

  urls(record: SsoProviderRecord) {
    return ssoUrls(this.config.AUTH_PUBLIC_URL, record.type, record.id);
  }

  private async owned(actor: Actor, providerId: string): Promise<SsoProviderRecord> {
    requireRole(actor, 'admin');
    const record = await this.providers.find(asTenantId(actor.tenantId), providerId);
    if (!record) throw this.notFound();
    return record;
  }

  private parse(type: SsoType, config: Record<string, unknown>): OidcProviderConfig | SamlProviderConfig {
    const schema: z.ZodType<OidcProviderConfig | SamlProviderConfig> =
      type === 'oidc' ? OidcProviderConfig : SamlProviderConfig;
    const parsed = schema.safeParse(config);
    if (!parsed.success) {
      throw new AuthError(CommonErrorCode.InvalidRequest, 'the provider config is not valid', {
        issues: parsed.error.issues.map(({ path, message }) => ({ path: path.join('.'), message })),
      });
    }
    return parsed.data;
  }

  private requireSecureUrls(type: SsoType, config: OidcProviderConfig | SamlProviderConfig): void {
    const url =
      type === 'oidc' ? (config as OidcProviderConfig).issuer : (config as SamlProviderConfig).entryPoint;
    if (!insecureLoopbackAllowed(url, this.config.AUTH_SSO_ALLOW_INSECURE_LOOPBACK)) {
      throw new AuthError(
        CommonErrorCode.InvalidRequest,
        `${type === 'oidc' ? 'issuer' : 'entryPoint'} must use https`,
      );
    }
  }

  private split(
    id: string,
    type: SsoType,
    input: OidcProviderConfig | SamlProviderConfig,
  ): { config: Record<string, unknown>; sealedSecret: string | null } {
    if (type !== 'oidc') return { config: { ...input }, sealedSecret: null };
    const { clientSecret, ...config } = input as OidcProviderConfig;
    return { config, sealedSecret: this.secrets.seal(clientSecret, this.aad(id)) };
  }

  private view(record: SsoProviderRecord): SsoProviderView {
    return {
      id: record.id,
      tenantId: record.tenantId,
      name: record.name,
      type: record.type,
      enabled: record.enabled,
      config:
        record.type === 'oidc' ? { ...record.config, hasClientSecret: !!record.sealedSecret } : record.config,
      callbackUrl: this.urls(record).callbackUrl,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
    };
  }

  private aad(providerId: string): string {
    return `sso_provider:${providerId}`;
  }

  private notFound(): AuthError {
    return new AuthError(CommonErrorCode.NotFound, 'no such SSO provider');
  }

  private record(
    actor: Actor,
    action: string,
    record: SsoProviderRecord,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      tenantId: record.tenantId,
      actor: { type: 'user', id: actor.userId },
      action,
      target: { type: 'sso_provider', id: record.id },
      data: { name: record.name, type: record.type, ...data },
    });
  }
}
