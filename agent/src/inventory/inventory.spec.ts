import { Inventory } from '@optralis/contracts';

import { fixtureContext } from '../../test/fixtures/fixture-host';
import { collectInventory } from './index';

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

describe(collectInventory.name, () => {
  it('should describe a bare-metal server', async () => {
    const context = fixtureContext('bare-metal', {
      'systemd-detect-virt': { code: 1, stdout: 'none\n', stderr: '' },
    });

    const inventory = await collectInventory(context, '1.4.2');

    expect(inventory).toEqual({
      agent_version: '1.4.2',
      hostname: 'db-01',
      os: 'Ubuntu 22.04.4 LTS',
      os_id: 'ubuntu',
      os_version: '22.04',
      kernel: '5.15.0-105-generic',
      cpu: 'Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz',
      cpu_cores: 2,
      cpu_threads: 4,
      cpu_sockets: 1,
      memory_bytes: 131_598_628 * 1024,
      hardware_id: '164fb160-8e49-4849-9a8a-66e20d9f1501',
      disks: [
        { name: 'dm-0', size_bytes: 1_875_379_712 * 512, rotational: false, removable: false },
        {
          name: 'nvme0n1',
          size_bytes: 1_875_385_008 * 512,
          rotational: false,
          removable: false,
          model: 'Dell Ent NVMe AGN MU U.2 960GB',
        },
        {
          name: 'sda',
          size_bytes: 3_907_029_168 * 512,
          rotational: true,
          removable: false,
          model: 'ST2000NM0055-1V4',
          vendor: 'ATA',
        },
      ],
      nics: [
        { name: 'docker0', virtual: true, mac: '02:42:8e:5f:11:09', mtu: 1500, state: 'up' },
        {
          name: 'eno1',
          virtual: false,
          mac: 'd0:94:66:1a:2b:3c',
          mtu: 9000,
          speed_mbps: 10_000,
          state: 'up',
        },
        { name: 'eno2', virtual: false, mac: 'd0:94:66:1a:2b:3d', mtu: 1500, state: 'down' },
      ],
      virtualization: {
        kind: 'physical',
        evidence: [
          'systemd-detect-virt: none',
          'dmi: Dell Inc. PowerEdge R640',
          'cpuinfo: no hypervisor flag',
        ],
      },
    });
    expect(Inventory.safeParse(inventory).success).toBe(true);
  });

  it('should describe the captured virtual machine', async () => {
    const inventory = await collectInventory(fixtureContext('debian-firecracker'), '0.1.0');

    expect(inventory).toMatchObject({
      hostname: 'vm',
      os: 'Debian GNU/Linux 12 (bookworm)',
      kernel: '6.18.44-fc-v595',
      cpu: 'Intel(R) Xeon(R) Processor @ 2.50GHz',
      cpu_threads: 2,
      memory_bytes: 24_684_096 * 1024,
      disks: [
        { name: 'vda', size_bytes: 536_870_912 * 512, rotational: true, removable: false, vendor: '0x1af4' },
      ],
      nics: [
        { name: 'eth0', virtual: false, mac: '02:fc:00:00:00:01', mtu: 1400, state: 'up' },
        { name: 'ifb0', virtual: true, mtu: 1500, state: 'down' },
      ],
      virtualization: { kind: 'container', technology: 'docker' },
    });
    expect(keysOf(inventory).every((key) => key.length <= 128)).toBe(true);
  });

  it('should describe a container, identified by its hostname', async () => {
    const inventory = await collectInventory(fixtureContext('docker-container'), '0.1.0');

    expect(inventory).toMatchObject({
      os: 'Alpine Linux v3.19',
      disks: [],
      virtualization: { kind: 'container' },
    });
    expect(inventory.hardware_id).toMatch(/^host-/);
  });

  it('should leave out what garbage or missing files do not say, without failing', async () => {
    const garbage = await collectInventory(fixtureContext('garbage'), '0.1.0');
    const missing = await collectInventory(fixtureContext('no-such-host'), '0.1.0');

    expect(garbage).toEqual({
      agent_version: '0.1.0',
      disks: [],
      nics: [{ name: 'eth0', virtual: false }],
      virtualization: { kind: 'physical', evidence: ['dmi: To Be Filled By O.E.M.'] },
    });
    expect(missing).toEqual({
      agent_version: '0.1.0',
      disks: [],
      nics: [],
      virtualization: { kind: 'physical', evidence: [] },
    });
  });
});
