import type { Sample } from '@optralis/contracts/agent';

import type { Collector, CollectorContext } from './collector';
import { runQuietly } from './command-runner';
import { SampleList } from './sample-list';
import { parseSystemctlUnits, SYSTEMCTL_LIST_UNITS } from './systemctl.parser';
import { commandTtl, TtlCache } from './ttl-cache';

// Starting systemctl costs more than reading all of /proc; service states a minute old are fine for
// a monitoring view, so it runs at most once a minute.
const SYSTEMCTL_EVERY_MS = 60_000;
const SYSTEMCTL_TIMEOUT_MS = 10_000;

/**
 * `systemd.unit_active` per service unit (1 when its active state is `active`) and
 * `systemd.units_failed`. Units systemd only knows by reference (load state `not-found`) are left out.
 */
export class SystemdCollector implements Collector {
  readonly name = 'systemd';
  private readonly samples: TtlCache<Sample[] | undefined>;

  constructor(private readonly context: CollectorContext) {
    this.samples = new TtlCache<Sample[] | undefined>(() => context.now(), commandTtl(SYSTEMCTL_EVERY_MS));
  }

  async collect(): Promise<Sample[]> {
    return (await this.samples.get(() => this.query())) ?? [];
  }

  /** Undefined when systemctl is missing or fails (systemd is not running). */
  private async query(): Promise<Sample[] | undefined> {
    const result = await runQuietly(
      this.context.run,
      'systemctl',
      SYSTEMCTL_LIST_UNITS,
      SYSTEMCTL_TIMEOUT_MS,
    );
    if (result?.code !== 0) return undefined;
    const units = parseSystemctlUnits(result.stdout).filter((unit) => unit.load !== 'not-found');
    if (units.length === 0) return [];
    const list = new SampleList();
    for (const unit of units) {
      list.add('systemd.unit_active', unit.active === 'active' ? 1 : 0, {
        unit: unit.unit,
        state: unit.active,
        sub: unit.sub,
      });
    }
    list.add('systemd.units_failed', units.filter((unit) => unit.active === 'failed').length);
    return list.samples;
  }
}
