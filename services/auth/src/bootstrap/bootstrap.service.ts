import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { asTenantId, DatabaseService, type TenantId } from '@optralis/db';

import { AuditTrail } from '../shared/audit.trail';
import { AUTH_CONFIG, type AuthConfig } from '../shared/auth-config';
import { PasswordHasher } from '../shared/password.hasher';
import { generatedPassword } from '../shared/secrets';
import { TenantsRepository } from '../tenants/tenants.repository';
import { PLATFORM_TENANT_SLUG } from '../tenants/tenants.service';
import { passwordProblem } from '../users/password.policy';
import { UsersRepository } from '../users/users.repository';
import { BootstrapRepository } from './bootstrap.repository';

export const DEFAULT_ADMIN_EMAIL = 'admin@optralis.local';

export interface BootstrapContext {
  tenantId: TenantId;
  tenantSlug: string;
  adminUserId: string;
}

/**
 * A later first-start step (the ingest token of CONTRACT.md "First start" belongs here): registered with
 * `BootstrapService.register` during module init, run inside the bootstrap lock after tenant and admin.
 */
export interface BootstrapStep {
  name: string;
  run(context: BootstrapContext): Promise<void>;
}

export interface BootstrapOutcome extends BootstrapContext {
  createdTenant: boolean;
  createdAdmin: boolean;
}

/** First start: tenant `default` and its owner, from the environment or generated and printed once. */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapService.name);
  private readonly steps: BootstrapStep[] = [];
  private done?: Promise<BootstrapOutcome>;

  constructor(
    private readonly repository: BootstrapRepository,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly database: DatabaseService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  register(step: BootstrapStep): void {
    this.steps.push(step);
  }

  onApplicationBootstrap(): void {
    this.done = this.database.whenReady().then(() => this.run());
    this.done.catch((error: unknown) =>
      this.logger.error({ error: (error as Error).message }, 'bootstrap failed'),
    );
  }

  whenDone(): Promise<BootstrapOutcome> {
    return this.done ?? Promise.reject(new Error('bootstrap has not started'));
  }

  /** Idempotent: a second run, here or on another instance, finds everything and changes nothing. */
  run(): Promise<BootstrapOutcome> {
    return this.repository.withBootstrapLock(async () => {
      let tenant = await this.tenants.findBySlug(PLATFORM_TENANT_SLUG);
      const createdTenant = !tenant;
      tenant ??= await this.tenants.create({
        id: asTenantId(randomUUID()),
        slug: PLATFORM_TENANT_SLUG,
        name: 'Default',
      });
      if (!tenant) throw new Error('tenant "default" could not be created');
      if (createdTenant) await this.recorded(tenant.id, 'tenant.created', 'tenant', tenant.id);
      const admin = await this.ensureOwner(tenant.id);
      const context = { tenantId: tenant.id, tenantSlug: tenant.slug, adminUserId: admin.userId };
      for (const step of this.steps) await step.run(context);
      this.logger.log({ tenantId: tenant.id, createdTenant, createdAdmin: admin.created }, 'bootstrap done');
      return { ...context, createdTenant, createdAdmin: admin.created };
    });
  }

  private async ensureOwner(tenantId: TenantId): Promise<{ userId: string; created: boolean }> {
    if ((await this.users.countOwners(tenantId)) > 0) {
      const [owner] = (await this.users.listMembers(tenantId, { limit: 500 })).filter(
        (m) => m.role === 'owner',
      );
      return { userId: owner.id, created: false };
    }
    const email = this.config.OPTRALIS_BOOTSTRAP_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL;
    const given = this.config.OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD;
    const password = given ?? generatedPassword();
    if (given && passwordProblem(given, { email, tenantSlug: PLATFORM_TENANT_SLUG })) {
      this.logger.warn({ email }, 'OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD does not meet the password policy');
    }
    const existing = await this.users.findByEmail(email);
    const user =
      existing ??
      (await this.users.create({
        id: randomUUID(),
        email,
        passwordHash: await this.hasher.hash(password),
        mustChangePassword: false,
      }));
    if (!user) throw new Error(`admin ${email} could not be created`);
    await this.users.addMembership(tenantId, user.id, 'owner');
    await this.recorded(tenantId, 'user.created', 'user', user.id, { email, role: 'owner' });
    if (!existing && !given) {
      process.stdout.write(
        `\n=== Optralis first start ===\nadmin email:    ${email}\nadmin password: ${password}\n` +
          `(shown once; set OPTRALIS_BOOTSTRAP_ADMIN_PASSWORD to choose it)\n\n`,
      );
    }
    return { userId: user.id, created: true };
  }

  private recorded(
    tenantId: string,
    action: string,
    targetType: string,
    targetId: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    return this.audit.record({
      tenantId,
      actor: { type: 'system', id: 'bootstrap' },
      action,
      target: { type: targetType, id: targetId },
      data,
    });
  }
}
