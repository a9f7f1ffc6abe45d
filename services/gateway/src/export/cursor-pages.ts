/** A page of a cursor-paged RPC answer: `nextCursor` is `null` on the last one. */
export interface CursorPage {
  nextCursor: string | null;
}

/**
 * The pages of a cursor-paged RPC, read one by one as the caller consumes them. The first page is read
 * before this resolves, so a refusal (`export.too_many_series`, a timeout) still reaches the caller
 * while it can answer with an error status instead of a truncated body.
 */
export async function openCursorPages<P extends CursorPage>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
): Promise<AsyncIterable<P>> {
  const first = await fetchPage(undefined);
  return (async function* pages() {
    let page = first;
    yield page;
    while (page.nextCursor !== null) {
      const cursor: string = page.nextCursor;
      page = await fetchPage(cursor);
      if (page.nextCursor === cursor) throw new Error('a page handed back the cursor it was read with');
      yield page;
    }
  })();
}
