import type { Mock } from 'vitest';

/**
 * A mock whose every method fails unless the test gave it an answer (STYLE.md habit 8). It takes `vi` from
 * vitest's globals: this library is compiled to CommonJS, and vitest refuses to be `require`d.
 */
export function strictMock<T extends object>(methods: (keyof T)[]): { [K in keyof T]: Mock } & T {
  const mock: Record<string, unknown> = {};
  for (const method of methods) {
    mock[method as string] = vi.fn(() => {
      throw new Error(`unexpected call to ${String(method)}`);
    });
  }
  return mock as { [K in keyof T]: Mock } & T;
}
