import { vi } from 'vitest';

import { openCursorPages } from './cursor-pages';

interface Page {
  items: number[];
  nextCursor: string | null;
}

async function collect(pages: AsyncIterable<Page>): Promise<number[]> {
  const items: number[] = [];
  for await (const page of pages) items.push(...page.items);
  return items;
}

describe(openCursorPages.name, () => {
  it('should read the first page at once and the others only as they are consumed', async () => {
    const answers: Record<string, Page> = {
      first: { items: [1, 2], nextCursor: 'b' },
      b: { items: [3], nextCursor: 'c' },
      c: { items: [], nextCursor: null },
    };
    const fetchPage = vi.fn(async (cursor: string | undefined) => answers[cursor ?? 'first']);

    const pages = await openCursorPages(fetchPage);

    expect(fetchPage.mock.calls).toEqual([[undefined]]);
    await expect(collect(pages)).resolves.toEqual([1, 2, 3]);
    expect(fetchPage.mock.calls).toEqual([[undefined], ['b'], ['c']]);
  });

  it('should reject before any page is handed out when the first page is refused', async () => {
    const refusal = Object.assign(new Error('too many'), { code: 'export.too_many_series' });

    await expect(openCursorPages(() => Promise.reject(refusal))).rejects.toBe(refusal);
  });

  it('should fail the stream when a later page fails or hands back the cursor it was read with', async () => {
    const failing = await openCursorPages(async (cursor) =>
      cursor === undefined ? { items: [1], nextCursor: 'b' } : Promise.reject(new Error('timeout')),
    );
    const looping = await openCursorPages(async () => ({ items: [1], nextCursor: 'same' }));

    await expect(collect(failing)).rejects.toThrow('timeout');
    await expect(collect(looping)).rejects.toThrow(/cursor/);
  });
});
