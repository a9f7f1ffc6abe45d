import type { MountEntry } from './mountinfo.parser';

// node_exporter's defaults (filesystem collector, Linux): pseudo and read-only image filesystems, and
// mount points of the kernel's and container runtimes' own. tmpfs stays, as there, since /run filling
// up breaks a host. Unlike node_exporter, an overlay mounted on `/` stays (it is the agent's own root
// when the agent runs in a container), and the volumes kubelet mounts for each pod are left out (a
// node has hundreds, and they come and go with the pods).
const IGNORED_TYPES = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devpts',
  'devtmpfs',
  'erofs',
  'fusectl',
  'hugetlbfs',
  'iso9660',
  'mqueue',
  'nsfs',
  'overlay',
  'proc',
  'procfs',
  'pstore',
  'ramfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'squashfs',
  'sysfs',
  'tracefs',
]);
const IGNORED_MOUNT_POINTS =
  /^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+|var\/lib\/kubelet\/pods\/.+)($|\/)/;
// Files and directories a container runtime binds into a container (/etc/hosts, volumes): they live on
// the host's disk, not on one of the container's own.
const RUNTIME_ROOTS = /^\/var\/lib\/(docker|containers|kubelet)\//;

/** The mounts worth a disk usage sample, each filesystem subtree once. */
export function reportableMounts(mounts: readonly MountEntry[]): MountEntry[] {
  const seen = new Set<string>();
  const result: MountEntry[] = [];
  for (const mount of mounts) {
    if (IGNORED_TYPES.has(mount.fsType) && !(mount.fsType === 'overlay' && mount.mountPoint === '/'))
      continue;
    if (IGNORED_MOUNT_POINTS.test(mount.mountPoint) || RUNTIME_ROOTS.test(mount.root)) continue;
    const key = mount.deviceNumber ? `${mount.deviceNumber} ${mount.root}` : `mount ${mount.mountPoint}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(mount);
  }
  return result;
}
