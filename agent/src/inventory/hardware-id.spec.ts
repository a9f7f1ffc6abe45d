import { execFileSync } from 'node:child_process';

import { SubjectId } from '@optralis/contracts';

import { fixtureContext, scratchContext } from '../../test/fixtures/fixture-host';
import { commandRunner, LINUX_PATHS } from '../collectors';
import { HardwareIdError, hardwareId } from './hardware-id';

function systemdAppSpecificId(): string | undefined {
  try {
    const args = ['machine-id', '--app-specific=bfececd70f08435b9dfc6b53f0113ba9', '--uuid'];
    return execFileSync('systemd-id128', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

describe(hardwareId.name, () => {
  it('should hash /etc/machine-id into an application-specific UUID', async () => {
    const id = await hardwareId(fixtureContext('bare-metal'));

    expect(id).toBe('164fb160-8e49-4849-9a8a-66e20d9f1501');
    expect(SubjectId.safeParse(id).success).toBe(true);
  });

  it.runIf(systemdAppSpecificId() !== undefined)(
    'should agree with systemd-id128 --app-specific on this machine',
    async () => {
      const id = await hardwareId({ paths: LINUX_PATHS, now: () => Date.now(), run: commandRunner });

      expect(id).toBe(systemdAppSpecificId());
    },
  );

  it('should fall back to the DMI product UUID, lower-cased', async () => {
    const context = scratchContext();
    context.write('sys/class/dmi/id/product_uuid', '4C4C4544-0031-3510-8052-B4C04F4D3232\n');

    expect(await hardwareId(context)).toBe('4c4c4544-0031-3510-8052-b4c04f4d3232');
  });

  it('should pass over placeholder UUIDs and take the lowest MAC of an interface with a device', async () => {
    const context = scratchContext();
    context.write('etc/machine-id', '00000000000000000000000000000000\n');
    context.write('sys/class/dmi/id/product_uuid', '03000200-0400-0500-0006-000700080009\n');
    context.write('sys/class/net/eth1/address', 'b8:ce:f6:00:00:02\n');
    context.write('sys/class/net/eth1/device/vendor', '0x15b3\n');
    context.write('sys/class/net/eth0/address', 'b8:ce:f6:00:00:01\n');
    context.write('sys/class/net/eth0/device/vendor', '0x15b3\n');
    context.write('sys/class/net/br0/address', '00:00:00:00:00:01\n');

    const id = await hardwareId(context);

    expect(id).toMatch(/^mac-[0-9a-f]{32}$/);
    context.write('sys/class/net/eth1/address', 'b8:ce:f6:00:00:03\n');
    expect(await hardwareId(context)).toBe(id);
  });

  it('should fall back to the hostname in a container with neither machine-id nor a physical interface', async () => {
    const id = await hardwareId(fixtureContext('docker-container'));

    expect(id).toMatch(/^host-[0-9a-f]{32}$/);
    expect(SubjectId.safeParse(id).success).toBe(true);
  });

  it('should refuse to make up an id when the host gives nothing stable', async () => {
    await expect(hardwareId(fixtureContext('garbage'))).rejects.toBeInstanceOf(HardwareIdError);
  });
});
