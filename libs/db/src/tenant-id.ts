import { isSubjectToken } from '@optralis/contracts';

export type TenantId = string & { readonly __brand: 'TenantId' };

export class InvalidTenantIdError extends Error {
  constructor(readonly value: string) {
    super(`tenant id "${value}" is invalid: use 1-128 characters without ".", "*", ">" or whitespace`);
    this.name = 'InvalidTenantIdError';
  }
}

/** Brands a tenant id once it is known to be safe as a subject token, so repositories can demand it. */
export function asTenantId(value: string): TenantId {
  if (!isSubjectToken(value)) throw new InvalidTenantIdError(value);
  return value as TenantId;
}
