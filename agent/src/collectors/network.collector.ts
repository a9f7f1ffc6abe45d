import { join } from 'node:path';

import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { counterRate, noneWentDown, PreviousReading } from './counter-rate';
import { readText } from './host-files';
import { INTERFACE_COUNTERS, type InterfaceCounters, parseNetDev } from './net-dev.parser';
import { SampleList } from './sample-list';

const RATE_NAMES: Record<(typeof INTERFACE_COUNTERS)[number], string> = {
  rxBytes: 'net.rx_bytes_per_sec',
  rxPackets: 'net.rx_packets_per_sec',
  rxErrors: 'net.rx_errors_per_sec',
  rxDropped: 'net.rx_dropped_per_sec',
  txBytes: 'net.tx_bytes_per_sec',
  txPackets: 'net.tx_packets_per_sec',
  txErrors: 'net.tx_errors_per_sec',
  txDropped: 'net.tx_dropped_per_sec',
};

/**
 * Per-interface traffic from /proc/net/dev: byte counters as they are (dashboards take `rate()` of
 * them), and per-second rates of every counter from deltas. Loopback is left out.
 */
export class NetworkCollector implements Collector {
  readonly name = 'network';
  private readonly previous = new PreviousReading<Map<string, InterfaceCounters>>();

  constructor(private readonly context: CollectorContext) {}

  async collect(): Promise<Sample[]> {
    const text = readText(join(this.context.paths.proc, 'net', 'dev'));
    if (text === undefined) return [];
    const current = parseNetDev(text);
    current.delete('lo');
    if (current.size === 0) return [];
    const step = this.previous.swap(this.context.now(), current);
    const list = new SampleList();
    for (const [name, after] of current) {
      const labels = { interface: name };
      list.add('net.rx_bytes', after.rxBytes, labels);
      list.add('net.tx_bytes', after.txBytes, labels);
      const before = step?.previous.get(name);
      // One counter going down means the interface was reset or recreated: none of its steps can be trusted.
      if (!step || !before || !noneWentDown(countersOf(before), countersOf(after))) continue;
      for (const counter of INTERFACE_COUNTERS) {
        list.add(RATE_NAMES[counter], counterRate(before[counter], after[counter], step.seconds), labels);
      }
    }
    return list.samples;
  }
}

function countersOf(counters: InterfaceCounters): number[] {
  return INTERFACE_COUNTERS.map((counter) => counters[counter]);
}
