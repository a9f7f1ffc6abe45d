import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIXTURES } from '../../test/fixtures/fixture-host';
import { parseCpuInfo } from './cpuinfo.parser';

describe(parseCpuInfo.name, () => {
  it('should count threads, cores and sockets of a captured x86 machine', () => {
    const text = readFileSync(join(FIXTURES, 'debian-firecracker', 'proc', 'cpuinfo'), 'utf8');

    expect(parseCpuInfo(text)).toEqual({
      model: 'Intel(R) Xeon(R) Processor @ 2.50GHz',
      threads: 2,
      cores: 2,
      sockets: 1,
      hypervisor: true,
    });
  });

  it('should read ARM cpuinfo, which names no cores and puts the model at the end', () => {
    const cpu = (n: number) =>
      `processor\t: ${n}\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n\n`;
    const text = `${cpu(0)}${cpu(1)}${cpu(2)}${cpu(3)}Hardware\t: BCM2835\nRevision\t: c03111\nModel\t\t: Raspberry Pi 4 Model B Rev 1.1\n`;

    expect(parseCpuInfo(text)).toEqual({
      model: 'BCM2835',
      threads: 4,
      cores: 4,
      sockets: 1,
      hypervisor: false,
    });
  });

  it('should give nothing for text without processors', () => {
    expect(parseCpuInfo('processor: x\nmodel name: ???\n')).toBeUndefined();
  });
});
