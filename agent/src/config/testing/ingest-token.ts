/** Shaped like a real ingest token (INGEST_TOKEN_PATTERN); no server knows it. */
export const INGEST_TOKEN = `opt_ing_abcd1234_${'0123456789abcdef'.repeat(3)}`;
