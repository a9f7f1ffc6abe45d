import { createHash } from 'node:crypto';

import type { Sample } from '@optralis/contracts';

import { canonicalLabels, labelsKey } from './series-keys';

const SAMPLE_END = '\u0001';

/**
 * What a report's samples are, without their values: names and labels in the order they came, as a 128-bit
 * digest. A host sends the same shape report after report, so the shape alone finds its series set (see
 * SeriesDictionaryService). Names cannot hold control characters (contract) and labels are length-prefixed,
 * so distinct shapes have distinct texts.
 */
export function shapeOf(samples: Sample[]): string {
  return createHash('sha256').update(shapeText(samples), 'utf8').digest('base64url').slice(0, 22);
}

export function shapeText(samples: Sample[]): string {
  let shape = '';
  for (const sample of samples) {
    shape += sample.name;
    if (sample.labels) {
      for (const key in sample.labels) {
        const value = sample.labels[key];
        shape += `|${key.length}:${key}${value.length}:${value}`;
      }
    }
    shape += SAMPLE_END;
  }
  return shape;
}

/** The distinct series of a report (duplicates collapsed), and where each sample went. */
export interface CanonicalRow {
  /** `name + NUL + labelsKey`: the series identity inside the host. */
  keys: string[];
  names: string[];
  labels: [string, string][][];
  labelKeys: string[];
  /** For each sample, the index of its distinct series: a repeated series points at its first position. */
  positions: number[];
}

const KEY_SEPARATOR = '\u0000';

export function seriesKey(name: string, labelKey: string): string {
  return labelKey === '[]' ? name : `${name}${KEY_SEPARATOR}${labelKey}`;
}

export function canonicalRow(samples: Sample[]): CanonicalRow {
  const row: CanonicalRow = { keys: [], names: [], labels: [], labelKeys: [], positions: [] };
  const seen = new Map<string, number>();
  for (const sample of samples) {
    const pairs = canonicalLabels(sample.labels);
    const labelKey = labelsKey(pairs);
    const key = seriesKey(sample.name, labelKey);
    let position = seen.get(key);
    if (position === undefined) {
      position = row.keys.length;
      seen.set(key, position);
      row.keys.push(key);
      row.names.push(sample.name);
      row.labels.push(pairs);
      row.labelKeys.push(labelKey);
    }
    row.positions.push(position);
  }
  return row;
}

/** How a shape's values become a stored row: the series set, and each sample's slot in it (-1: refused). */
export interface ShapeLayout {
  hostKey: number;
  setId: number;
  slots: Int32Array;
  width: number;
  refused: number;
}

/**
 * Lays a canonical row out by series id (the set stores ids sorted, so reports that list the same series
 * in another order share it). Returns the sorted ids and, per sample, its slot; a later duplicate of a
 * series takes the same slot, so its value wins.
 */
export function layOut(
  row: CanonicalRow,
  seriesIds: number[],
): { ids: number[]; slots: Int32Array; refused: number } {
  const order = seriesIds
    .map((id, position) => ({ id, position }))
    .filter((entry) => entry.id > 0)
    .sort((a, b) => a.id - b.id);
  const slotOfPosition = new Int32Array(seriesIds.length).fill(-1);
  order.forEach((entry, slot) => (slotOfPosition[entry.position] = slot));
  const slots = new Int32Array(row.positions.length);
  let refused = 0;
  row.positions.forEach((position, sample) => {
    slots[sample] = slotOfPosition[position];
    if (slots[sample] < 0) refused++;
  });
  return { ids: order.map((entry) => entry.id), slots, refused };
}

/** The values of one report in its layout's order. */
export function arrange(values: number[], layout: { slots: Int32Array; width: number }): number[] {
  const arranged = new Array<number>(layout.width);
  for (let sample = 0; sample < values.length; sample++) {
    const slot = layout.slots[sample];
    if (slot >= 0) arranged[slot] = values[sample];
  }
  return arranged;
}
