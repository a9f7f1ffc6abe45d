import { RpcError } from '@optralis/nats';

/** Awaits a call that must fail and returns the RpcError it failed with. */
export async function rpcFailure(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

/** Narrows a login-like reply to the token pair, failing the test when it is something else. */
export function tokens<T extends object>(reply: T): Extract<T, { accessToken: string }> {
  expect(reply).toHaveProperty('accessToken');
  return reply as Extract<T, { accessToken: string }>;
}
