export interface CpuInfo {
  model?: string;
  /** Logical CPUs (hardware threads). */
  threads: number;
  /** Physical cores, when /proc/cpuinfo says which thread sits on which core; otherwise the threads. */
  cores: number;
  sockets: number;
  /** The `hypervisor` CPU flag: the kernel runs under a hypervisor. */
  hypervisor: boolean;
}

/** /proc/cpuinfo as x86 and ARM kernels write it (ARM names the model differently and has no cores). */
export function parseCpuInfo(text: string): CpuInfo | undefined {
  const blocks = text
    .split(/\n\s*\n/)
    .map(fieldsOf)
    .filter((fields) => fields.has('processor') && /^\d+$/.test(fields.get('processor') ?? ''));
  if (blocks.length === 0) return undefined;
  const first = blocks[0];
  const global = fieldsOf(text);
  const model =
    first.get('model name') ??
    first.get('Processor') ??
    global.get('Hardware') ??
    global.get('Model') ??
    first.get('cpu model');
  const cores = new Set<string>();
  const sockets = new Set<string>();
  for (const block of blocks) {
    const socket = block.get('physical id');
    const core = block.get('core id');
    if (socket !== undefined) sockets.add(socket);
    if (socket !== undefined && core !== undefined) cores.add(`${socket}:${core}`);
  }
  return {
    model: model || undefined,
    threads: blocks.length,
    cores: cores.size > 0 ? cores.size : blocks.length,
    sockets: Math.max(1, sockets.size),
    hypervisor: (first.get('flags') ?? '').split(/\s+/).includes('hypervisor'),
  };
}

function fieldsOf(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    if (!fields.has(key)) fields.set(key, line.slice(colon + 1).trim());
  }
  return fields;
}
