import { dirname, join } from 'node:path';

import type { CollectorContext, CommandRunner, HostPaths } from '../collectors/collector';
import { runQuietly } from '../collectors/command-runner';
import { exists, readText, readTrimmed } from '../collectors/host-files';
import { labelValue } from '../collectors/label-value';
import { parseCpuInfo } from './cpuinfo.parser';

export interface Virtualization {
  kind: 'physical' | 'virtual' | 'container';
  technology?: string;
  /** What each method found, e.g. `systemd-detect-virt: kvm`, `dmi sys_vendor: QEMU`. */
  evidence: string[];
}

interface Finding {
  kind: Virtualization['kind'];
  technology?: string;
  evidence: string;
}

// systemd-detect-virt's container names; every other answer but `none` is a virtual machine.
const CONTAINER_TECHNOLOGIES = new Set([
  'openvz',
  'lxc',
  'lxc-libvirt',
  'systemd-nspawn',
  'docker',
  'podman',
  'rkt',
  'wsl',
  'proot',
  'pouch',
]);
// DMI vendor and product strings of hypervisors, with systemd-detect-virt's name for each.
const DMI_SIGNATURES: [RegExp, string][] = [
  [/^QEMU/i, 'qemu'],
  [/^KVM|^Linux KVM/i, 'kvm'],
  [/^VMware/i, 'vmware'],
  [/^innotek GmbH|^VirtualBox/i, 'oracle'],
  [/^Xen/i, 'xen'],
  [/^Bochs/i, 'bochs'],
  [/^Parallels/i, 'parallels'],
  [/^BHYVE/i, 'bhyve'],
  [/^Amazon EC2/i, 'amazon'],
  [/^Google Compute Engine/i, 'google'],
  [/^OpenStack/i, 'kvm'],
  [/^Apple Virtualization/i, 'apple'],
  [/^Virtual Machine$/i, 'microsoft'],
];
const CGROUP_SIGNATURES: [RegExp, string][] = [
  [/\/docker[/-]/, 'docker'],
  [/\/kubepods/, 'kubernetes'],
  [/\/libpod-/, 'podman'],
  [/\/lxc[./]/, 'lxc'],
  [/\/machine\.slice\/.*nspawn|\/machine-/, 'systemd-nspawn'],
];
const DETECT_VIRT_TIMEOUT_MS = 5_000;

/**
 * Physical, virtual machine or container, from every method that answers: systemd-detect-virt, DMI
 * strings, the CPU's hypervisor flag, /sys/hypervisor, and container marks (/.dockerenv,
 * /run/.containerenv, /run/systemd/container, /proc/1/cgroup). A container wins over a virtual
 * machine: it is the closer boundary, and containers often run in virtual machines.
 */
export async function detectVirtualization(context: CollectorContext): Promise<Virtualization> {
  const { sys, proc } = context.paths;
  const findings = [
    ...(await detectVirt(context.run)),
    ...dmi(sys),
    ...cpuFlag(proc),
    ...hypervisorType(sys),
    ...containerMarks(context.paths),
  ];
  const evidence = [...new Set(findings.map((finding) => labelValue(finding.evidence)))];
  for (const kind of ['container', 'virtual'] as const) {
    const found = findings.filter((finding) => finding.kind === kind);
    if (found.length === 0) continue;
    const technology = found.find((finding) => finding.technology)?.technology;
    return technology ? { kind, technology, evidence } : { kind, evidence };
  }
  return { kind: 'physical', evidence };
}

async function detectVirt(run: CommandRunner): Promise<Finding[]> {
  const result = await runQuietly(run, 'systemd-detect-virt', [], DETECT_VIRT_TIMEOUT_MS);
  const answer = result?.stdout.trim();
  if (!answer || !/^[a-z0-9-]+$/.test(answer)) return [];
  if (answer === 'none') return [{ kind: 'physical', evidence: 'systemd-detect-virt: none' }];
  const kind = CONTAINER_TECHNOLOGIES.has(answer) ? 'container' : 'virtual';
  return [{ kind, technology: answer, evidence: `systemd-detect-virt: ${answer}` }];
}

function dmi(sys: string): Finding[] {
  const fields = ['sys_vendor', 'product_name', 'board_vendor', 'bios_vendor'];
  const values = fields.map((field) => readTrimmed(join(sys, 'class', 'dmi', 'id', field)));
  // Bare-metal cloud instances keep their cloud's vendor string: their product names end in `.metal`.
  const metal = values[1]?.endsWith('.metal') ?? false;
  const findings = fields.flatMap((field, index): Finding[] => {
    const value = values[index];
    const technology =
      value && !metal ? DMI_SIGNATURES.find(([pattern]) => pattern.test(value))?.[1] : undefined;
    return technology ? [{ kind: 'virtual', technology, evidence: `dmi ${field}: ${value}` }] : [];
  });
  if (findings.length > 0 || !values[0]) return findings;
  return [{ kind: 'physical', evidence: `dmi: ${[values[0], values[1]].filter(Boolean).join(' ')}` }];
}

function cpuFlag(proc: string): Finding[] {
  const text = readText(join(proc, 'cpuinfo'));
  const info = text === undefined ? undefined : parseCpuInfo(text);
  if (!info) return [];
  return info.hypervisor
    ? [{ kind: 'virtual', evidence: 'cpuinfo: hypervisor flag' }]
    : [{ kind: 'physical', evidence: 'cpuinfo: no hypervisor flag' }];
}

function hypervisorType(sys: string): Finding[] {
  const type = readTrimmed(join(sys, 'hypervisor', 'type'));
  return type ? [{ kind: 'virtual', technology: type, evidence: `/sys/hypervisor/type: ${type}` }] : [];
}

function containerMarks({ etc, run, proc }: HostPaths): Finding[] {
  // HostPaths has no root: / is the folder that holds etc (a fixture tree's root in tests).
  const root = dirname(etc);
  const findings: Finding[] = [];
  if (exists(join(root, '.dockerenv'))) {
    findings.push({ kind: 'container', technology: 'docker', evidence: '/.dockerenv exists' });
  }
  if (exists(join(run, '.containerenv'))) {
    findings.push({ kind: 'container', technology: 'podman', evidence: '/run/.containerenv exists' });
  }
  const systemdContainer = readTrimmed(join(run, 'systemd', 'container'));
  if (systemdContainer && /^[a-z0-9-]+$/.test(systemdContainer)) {
    const evidence = `/run/systemd/container: ${systemdContainer}`;
    findings.push({ kind: 'container', technology: systemdContainer, evidence });
  }
  const cgroup = readText(join(proc, '1', 'cgroup')) ?? '';
  for (const [pattern, technology] of CGROUP_SIGNATURES) {
    if (pattern.test(cgroup))
      findings.push({ kind: 'container', technology, evidence: `/proc/1/cgroup: ${technology}` });
  }
  return findings;
}
