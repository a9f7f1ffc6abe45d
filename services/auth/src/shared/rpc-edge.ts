import type { RpcErrorCode } from '@optralis/contracts';
import { RpcError } from '@optralis/nats';

import { AuthError } from './auth-error';

/** Runs a service call and maps its coded errors to RPC errors; anything else stays internal. */
export async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AuthError) {
      // Capability codes such as `invalid_credentials` travel as they are; RpcErrorBody accepts any code.
      throw new RpcError(error.code as RpcErrorCode, error.message, error.details);
    }
    throw error;
  }
}
