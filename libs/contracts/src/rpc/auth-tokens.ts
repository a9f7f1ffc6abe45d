/** `rpc.auth.*` methods of API tokens, ingest tokens and the audit journal. */
export const authTokensRpc = {} as const;
