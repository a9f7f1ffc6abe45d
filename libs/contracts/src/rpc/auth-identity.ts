/** `rpc.auth.*` methods of tenants, users, sessions and signing keys. */
export const authIdentityRpc = {} as const;
