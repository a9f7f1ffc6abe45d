export interface UnitState {
  unit: string;
  load: string;
  active: string;
  sub: string;
}

export const SYSTEMCTL_LIST_UNITS = [
  'list-units',
  '--type=service',
  '--all',
  '--no-legend',
  '--plain',
  '--no-pager',
];

/** Lines of `systemctl list-units … --no-legend --plain`: `unit load active sub description…`. */
export function parseSystemctlUnits(text: string): UnitState[] {
  const units: UnitState[] = [];
  for (const line of text.split('\n')) {
    // Failed and missing units get a leading mark ("●", or "*" without UTF-8) even when piped.
    const fields = line
      .trim()
      .replace(/^(●|\*)\s+/, '')
      .split(/\s+/);
    if (fields.length < 4 || !fields[0].endsWith('.service')) continue;
    const [unit, load, active, sub] = fields;
    units.push({ unit, load, active, sub });
  }
  return units;
}
