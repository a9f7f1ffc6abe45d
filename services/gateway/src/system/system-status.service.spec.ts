import { pingSubject, SERVICE_NAMES } from '@optralis/contracts';
import { RpcClient, RpcError } from '@optralis/nats';

import { SystemStatusService } from './system-status.service';

describe(SystemStatusService.name, () => {
  function setup(answer: (subject: string) => Promise<unknown>) {
    const call = vi.fn((subject: string) => answer(subject));
    const rpc = { call } as unknown as RpcClient;
    return { sut: new SystemStatusService(rpc), call };
  }

  it('should report ok with every version when all six services answer', async () => {
    const { sut, call } = setup(async (subject) => ({
      service: subject.split('.')[1],
      version: '0.1.0',
      instanceId: 'i',
      uptimeSeconds: 3,
    }));
    const result = await sut.status();
    expect(result.status).toBe('ok');
    expect(result.services.map((service) => service.name)).toEqual([...SERVICE_NAMES]);
    expect(result.services.every((service) => service.status === 'up' && service.version === '0.1.0')).toBe(
      true,
    );
    expect(call).toHaveBeenCalledTimes(6);
    expect(call).toHaveBeenCalledWith(pingSubject('auth'), {}, { timeoutMs: 1500 });
  });

  it('should mark only the silent service down with the error when one does not answer', async () => {
    const { sut } = setup(async (subject) => {
      if (subject === 'rpc.ai.ping')
        throw new RpcError('timeout', 'rpc.ai.ping did not answer within 1500 ms');
      return { service: subject.split('.')[1], version: '0.1.0', instanceId: 'i', uptimeSeconds: 1 };
    });
    const result = await sut.status();
    expect(result.status).toBe('degraded');
    const ai = result.services.find((service) => service.name === 'ai');
    expect(ai).toMatchObject({ status: 'down', error: { code: 'timeout' } });
    expect(result.services.filter((service) => service.status === 'up')).toHaveLength(5);
  });

  it('should report an unexpected failure as internal when the client throws a plain error', async () => {
    const { sut } = setup(async () => {
      throw new Error('socket hang up');
    });
    const result = await sut.status();
    expect(result.services.every((service) => service.error?.code === 'internal')).toBe(true);
  });
});
