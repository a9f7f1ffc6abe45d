import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { withAdvisoryLock } from '../shared/advisory-lock';

export interface SigningKeyRow {
  kid: string;
  publicJwk: Record<string, unknown>;
  sealedPrivateKey: string;
  createdAt: Date;
  retiredAt: Date | null;
}

interface RawRow {
  kid: string;
  public_jwk: Record<string, unknown>;
  private_key: string;
  created_at: Date;
  retired_at: Date | null;
}

const toRow = (row: RawRow): SigningKeyRow => ({
  kid: row.kid,
  publicJwk: row.public_jwk,
  sealedPrivateKey: row.private_key,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
});

/** Signing keys are platform-wide, not per tenant: one issuer signs every tenant's tokens. */
@Injectable()
export class KeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  withRotationLock<T>(work: () => Promise<T>): Promise<T> {
    return withAdvisoryLock(this.dataSource, 'signing-keys', work);
  }

  async newest(): Promise<SigningKeyRow | undefined> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT * FROM "auth"."signing_keys" WHERE "retired_at" IS NULL ORDER BY "created_at" DESC LIMIT 1`,
    );
    return rows[0] && toRow(rows[0]);
  }

  /** The active key and every key retired after `cutoff`, whose tokens may still be alive. */
  async published(cutoff: Date): Promise<SigningKeyRow[]> {
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT * FROM "auth"."signing_keys" WHERE "retired_at" IS NULL OR "retired_at" > $1
       ORDER BY "created_at" DESC`,
      [cutoff],
    );
    return rows.map(toRow);
  }

  /** Stores the new key and retires every other one in one transaction. */
  async replaceActive(key: { kid: string; publicJwk: object; sealedPrivateKey: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE "auth"."signing_keys" SET "retired_at" = now() WHERE "retired_at" IS NULL AND "kid" <> $1`,
        [key.kid],
      );
      await manager.query(
        `INSERT INTO "auth"."signing_keys" ("kid", "public_jwk", "private_key") VALUES ($1, $2, $3)`,
        [key.kid, JSON.stringify(key.publicJwk), key.sealedPrivateKey],
      );
    });
  }
}
