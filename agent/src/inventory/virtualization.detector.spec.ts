import { fixtureContext, ok, scratchContext } from '../../test/fixtures/fixture-host';
import { detectVirtualization } from './virtualization.detector';

const NONE = { code: 1, stdout: 'none\n', stderr: '' };

describe(detectVirtualization.name, () => {
  it('should call a server physical when every method says so', async () => {
    const context = fixtureContext('bare-metal', { 'systemd-detect-virt': NONE });

    expect(await detectVirtualization(context)).toEqual({
      kind: 'physical',
      evidence: ['systemd-detect-virt: none', 'dmi: Dell Inc. PowerEdge R640', 'cpuinfo: no hypervisor flag'],
    });
    expect(context.runner.calls).toEqual(['systemd-detect-virt']);
  });

  it('should find a virtual machine from systemd-detect-virt, DMI strings and the hypervisor flag', async () => {
    const context = scratchContext({ 'systemd-detect-virt': ok('kvm\n') });
    context.write('sys/class/dmi/id/sys_vendor', 'QEMU\n');
    context.write('sys/class/dmi/id/product_name', 'Standard PC (Q35 + ICH9, 2009)\n');
    context.write('proc/cpuinfo', 'processor\t: 0\nflags\t\t: fpu vme hypervisor\n\n');

    expect(await detectVirtualization(context)).toEqual({
      kind: 'virtual',
      technology: 'kvm',
      evidence: ['systemd-detect-virt: kvm', 'dmi sys_vendor: QEMU', 'cpuinfo: hypervisor flag'],
    });
  });

  it('should find a virtual machine from DMI alone when systemd-detect-virt is missing', async () => {
    const context = scratchContext();
    context.write('sys/class/dmi/id/sys_vendor', 'Microsoft Corporation\n');
    context.write('sys/class/dmi/id/product_name', 'Virtual Machine\n');

    expect(await detectVirtualization(context)).toEqual({
      kind: 'virtual',
      technology: 'microsoft',
      evidence: ['dmi product_name: Virtual Machine'],
    });
  });

  it("should call a bare-metal cloud instance physical despite its cloud's vendor string", async () => {
    const context = scratchContext();
    context.write('sys/class/dmi/id/sys_vendor', 'Amazon EC2\n');
    context.write('sys/class/dmi/id/product_name', 'c5.metal\n');

    expect(await detectVirtualization(context)).toEqual({
      kind: 'physical',
      evidence: ['dmi: Amazon EC2 c5.metal'],
    });
  });

  it('should find a Docker container from /.dockerenv and /proc/1/cgroup', async () => {
    expect(await detectVirtualization(fixtureContext('docker-container'))).toEqual({
      kind: 'container',
      technology: 'docker',
      evidence: ['cpuinfo: no hypervisor flag', '/.dockerenv exists', '/proc/1/cgroup: docker'],
    });
  });

  it('should call a container in a virtual machine a container, keeping the evidence of both', async () => {
    const context = fixtureContext('debian-firecracker', { 'systemd-detect-virt': ok('docker\n') });

    expect(await detectVirtualization(context)).toEqual({
      kind: 'container',
      technology: 'docker',
      evidence: ['systemd-detect-virt: docker', 'cpuinfo: hypervisor flag', '/.dockerenv exists'],
    });
  });

  it('should find podman, systemd-nspawn and Kubernetes containers from their marks', async () => {
    const podman = scratchContext();
    podman.write('run/.containerenv', '');
    const nspawn = scratchContext();
    nspawn.write('run/systemd/container', 'systemd-nspawn\n');
    const kubernetes = scratchContext();
    kubernetes.write('proc/1/cgroup', '11:memory:/kubepods/burstable/pod5f1c/8a3e\n');

    expect(await detectVirtualization(podman)).toMatchObject({ kind: 'container', technology: 'podman' });
    expect(await detectVirtualization(nspawn)).toMatchObject({
      kind: 'container',
      technology: 'systemd-nspawn',
    });
    expect(await detectVirtualization(kubernetes)).toMatchObject({
      kind: 'container',
      technology: 'kubernetes',
    });
  });

  it('should ignore an unreadable systemd-detect-virt answer and garbage files', async () => {
    const context = fixtureContext('garbage', { 'systemd-detect-virt': ok('\u001b[31mkvm; rm -rf /\n') });

    expect(await detectVirtualization(context)).toEqual({
      kind: 'physical',
      evidence: ['dmi: To Be Filled By O.E.M.'],
    });
  });

  it('should call a host with no evidence at all physical', async () => {
    expect(await detectVirtualization(fixtureContext('no-such-host'))).toEqual({
      kind: 'physical',
      evidence: [],
    });
  });
});
