import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import type { IngestConfig } from '../config';
import { INGEST_CONFIG } from '../ingest.config.provider';
import type { SampleRow } from './copy-text';
import { arrange, type CanonicalRow, canonicalRow, layOut, type ShapeLayout } from './row-shape';
import { type NewSeries, SeriesRepository } from './series.repository';
import { seriesSetHash } from './series-keys';
import type { SqlSession } from './sql-session.repository';
import type { WritePlan } from './write-plan';

/**
 * Report shapes kept (one or a few per host; ~50 bytes + 4 per sample each). A hit is the whole dictionary
 * work of a report; the series and set caches below only serve shapes not seen before.
 */
const SHAPE_CACHE_ENTRIES = 500_000;
/** Series ids kept (~150 bytes each). */
const SERIES_CACHE_ENTRIES = 500_000;
/** Characters of series-set keys kept (a key is the set's sorted ids, comma-separated). */
const SET_CACHE_CHARS = 32 * 1024 * 1024;
/** What the per-host cap refused is remembered this long, so an over-cap host costs no lookups. */
const REFUSED_TTL_MS = 5 * 60_000;
const REFUSED = 0;

export interface HostSeriesCount {
  hostKey: number;
  added: number;
  dropped: number;
}

export interface ResolvedRows {
  rows: SampleRow[];
  /** Samples whose series the per-host cap refused. */
  dropped: number;
  /** Hosts whose series count or dropped count changed. */
  counts: HostSeriesCount[];
  /** Puts what this write learned into the caches; only once its transaction committed. */
  remember(): void;
}

interface Miss {
  cacheKey: string;
  /** Plan host index: the cap is per host. */
  host: number;
  series: NewSeries;
  id: number;
}

interface NewShape {
  hostKey: number;
  host: number;
  canonical: CanonicalRow;
  rows: number[];
  layout?: ShapeLayout;
}

interface Learned {
  series: [string, number][];
  refused: string[];
  sets: [string, number][];
  shapes: [string, ShapeLayout][];
}

/**
 * Turns the planned rows of a batch into `(host, time, set, values)`. A report shape seen before on the host
 * gives its series set and value layout straight away; a new shape is resolved series by series (LRU, then
 * lookup, then creation within the per-host cap) and then to a series set, the same way.
 */
@Injectable()
export class SeriesDictionaryService {
  private readonly shapes = new LRUCache<string, ShapeLayout>({ max: SHAPE_CACHE_ENTRIES });
  private readonly series = new LRUCache<string, number>({ max: SERIES_CACHE_ENTRIES });
  private readonly sets = new LRUCache<string, number>({
    maxSize: SET_CACHE_CHARS,
    sizeCalculation: (_value, key) => key.length + 16,
  });

  constructor(
    private readonly repository: SeriesRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  async resolve(
    session: SqlSession,
    plan: WritePlan,
    hosts: { keys: number[]; seriesCounts: number[] },
  ): Promise<ResolvedRows> {
    const learned: Learned = { series: [], refused: [], sets: [], shapes: [] };
    const counts = plan.hosts.map((_, index) => ({ hostKey: hosts.keys[index], added: 0, dropped: 0 }));
    const layouts = new Array<ShapeLayout | undefined>(plan.rows.length);
    const newShapes = new Map<string, NewShape>();
    plan.rows.forEach((row, index) => {
      const hostKey = hosts.keys[row.host];
      const shapeKey = `${hostKey}\u0000${row.shape}`;
      layouts[index] = this.shapes.get(shapeKey);
      if (layouts[index]) return;
      const known = newShapes.get(shapeKey);
      if (known) known.rows.push(index);
      else
        newShapes.set(shapeKey, {
          hostKey,
          host: row.host,
          canonical: canonicalRow(row.samples),
          rows: [index],
        });
    });
    if (newShapes.size > 0) {
      await this.layOutShapes(session, [...newShapes.values()], {
        seriesCounts: hosts.seriesCounts,
        learned,
        counts,
      });
      for (const [shapeKey, shape] of newShapes) {
        learned.shapes.push([shapeKey, shape.layout!]);
        for (const index of shape.rows) layouts[index] = shape.layout;
      }
    }

    const rows: SampleRow[] = [];
    let dropped = 0;
    plan.rows.forEach((planned, index) => {
      const layout = layouts[index]!;
      dropped += layout.refused;
      counts[planned.host].dropped += layout.refused;
      if (layout.width === 0) return;
      rows.push({
        hostKey: layout.hostKey,
        time: planned.time,
        setId: layout.setId,
        values: arrange(planned.values, layout),
      });
    });
    return {
      rows,
      dropped,
      counts: counts.filter((count) => count.added > 0 || count.dropped > 0),
      remember: () => this.remember(learned),
    };
  }

  private remember(learned: Learned): void {
    for (const [key, id] of learned.series) this.series.set(key, id);
    for (const key of learned.refused) this.series.set(key, REFUSED, { ttl: REFUSED_TTL_MS });
    for (const [key, id] of learned.sets) this.sets.set(key, id);
    for (const [key, layout] of learned.shapes) {
      this.shapes.set(key, layout, layout.refused > 0 ? { ttl: REFUSED_TTL_MS } : {});
    }
  }

  /** Series ids, then a series set, for every shape not seen before. */
  private async layOutShapes(
    session: SqlSession,
    shapes: NewShape[],
    sink: { seriesCounts: number[]; learned: Learned; counts: HostSeriesCount[] },
  ): Promise<void> {
    const misses = new Map<string, Miss>();
    const waiting: { ids: number[]; index: number; miss: Miss }[] = [];
    const seriesIds = shapes.map((shape) => {
      const { canonical } = shape;
      const ids = new Array<number>(canonical.keys.length);
      canonical.keys.forEach((key, index) => {
        const cacheKey = `${shape.hostKey}\u0001${key}`;
        const id = this.series.get(cacheKey);
        if (id !== undefined) {
          ids[index] = id;
          return;
        }
        let miss = misses.get(cacheKey);
        if (!miss) {
          const series = {
            hostKey: shape.hostKey,
            name: canonical.names[index],
            labelsKey: canonical.labelKeys[index],
            labels: canonical.labels[index],
          };
          miss = { cacheKey, host: shape.host, series, id: REFUSED };
          misses.set(cacheKey, miss);
        }
        waiting.push({ ids, index, miss });
      });
      return ids;
    });
    if (misses.size > 0) await this.lookUpOrCreate(session, [...misses.values()], sink);
    for (const { ids, index, miss } of waiting) ids[index] = miss.id;

    const setMisses = new Map<string, { hostKey: number; hash: string; ids: string; shapes: NewShape[] }>();
    shapes.forEach((shape, index) => {
      const { ids, slots, refused } = layOut(shape.canonical, seriesIds[index]);
      shape.layout = { hostKey: shape.hostKey, setId: 0, slots, width: ids.length, refused };
      if (ids.length === 0) return;
      const joined = ids.join(',');
      const setKey = `${shape.hostKey}:${joined}`;
      const setId = this.sets.get(setKey);
      if (setId !== undefined) shape.layout.setId = setId;
      else {
        const entry = setMisses.get(setKey) ?? {
          hostKey: shape.hostKey,
          hash: seriesSetHash(joined),
          ids: joined,
          shapes: [],
        };
        entry.shapes.push(shape);
        setMisses.set(setKey, entry);
      }
    });
    if (setMisses.size === 0) return;
    const found = await this.repository.resolveSets(session, [...setMisses.values()]);
    [...setMisses].forEach(([setKey, entry], index) => {
      const setId = found.get(index)!;
      sink.learned.sets.push([setKey, setId]);
      for (const shape of entry.shapes) shape.layout!.setId = setId;
    });
  }

  private async lookUpOrCreate(
    session: SqlSession,
    misses: Miss[],
    sink: { seriesCounts: number[]; learned: Learned; counts: HostSeriesCount[] },
  ): Promise<void> {
    const found = await this.repository.find(
      session,
      misses.map((miss) => miss.series),
    );
    const room = sink.seriesCounts.map((count) =>
      Math.max(0, this.config.INGEST_MAX_SERIES_PER_HOST - count),
    );
    const accepted: Miss[] = [];
    misses.forEach((miss, index) => {
      const id = found.get(index);
      if (id !== undefined) {
        miss.id = id;
        sink.learned.series.push([miss.cacheKey, id]);
      } else if (room[miss.host] > 0) {
        room[miss.host]--;
        accepted.push(miss);
      } else {
        sink.learned.refused.push(miss.cacheKey);
      }
    });
    if (accepted.length === 0) return;
    const created = await this.repository.create(
      session,
      accepted.map((miss) => miss.series),
    );
    accepted.forEach((miss, index) => {
      const { id, created: isNew } = created.get(index)!;
      miss.id = id;
      sink.learned.series.push([miss.cacheKey, id]);
      if (isNew) sink.counts[miss.host].added++;
    });
  }
}
