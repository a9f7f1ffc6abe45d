// `@optralis/contracts/agent`: what a host agent needs, without the RPC schemas of every service. The agent
// daemon has a memory budget (< 60 MB RSS) and the whole index costs it about 4 MB of heap.
export * from './ids';
export * from './schemas/agent-report';
export * from './schemas/common';

/** The same as auth's (rpc/auth-tokens.ts, which a spec keeps in step): `opt_ing_<8 id chars>_<48 hex>`. */
export const INGEST_TOKEN_PATTERN = /^opt_ing_[a-z0-9]{8}_[0-9a-f]{48}$/;
