import type { ReplyOf, RequestOf, RpcSubject } from '@optralis/contracts';

import type { Downstream } from '../downstream/downstream.service';
import { ProblemError } from '../http/problem';
import { PublicStatusService, STATUS_CACHE_MILLISECONDS } from './public-status.service';

type Answers = { [S in RpcSubject]?: (request: RequestOf<S>) => Promise<ReplyOf<S>> };

const RESOLVED: ReplyOf<'rpc.auth.statusPage.resolve'> = {
  tenantId: 'tenant-a',
  name: 'Acme',
  config: { title: null, groups: [{ name: 'Website', tag: 'web' }], showIncidents: true },
};
const HOST_GROUPS: ReplyOf<'rpc.ingest.publicStatus.hostGroups'> = {
  groups: [{ tag: 'web', hosts: 2, online: 2, offline: 0, uptimePercent90d: 100 }],
};
const NO_INCIDENTS: ReplyOf<'rpc.alerting.publicStatus.incidents'> = { incidents: [], truncated: false };

function setup(answers: Answers) {
  let now = new Date('2030-01-15T10:30:00.000Z');
  const call = vi.fn(async (subject: RpcSubject, request: unknown) => {
    const answer = answers[subject] as ((request: unknown) => Promise<unknown>) | undefined;
    if (!answer) throw new Error(`unexpected call to ${subject}`);
    return answer(request);
  });
  const sut = new PublicStatusService({ call } as unknown as Downstream, { now: () => now });
  const subjects = () => call.mock.calls.map(([subject]) => subject);
  return {
    sut,
    call,
    subjects,
    advance: (milliseconds: number) => (now = new Date(now.getTime() + milliseconds)),
  };
}

const notFound = async (): Promise<never> => {
  throw ProblemError.notFound('no public status page has this address');
};

describe(PublicStatusService.name, () => {
  it('should assemble once for visitors arriving together and answer from the cache until it expires', async () => {
    const { sut, subjects, advance } = setup({
      'rpc.auth.statusPage.resolve': async () => RESOLVED,
      'rpc.ingest.publicStatus.hostGroups': async () => HOST_GROUPS,
      'rpc.alerting.publicStatus.incidents': async () => NO_INCIDENTS,
    });

    const pages = await Promise.all([sut.page('acme'), sut.page('acme'), sut.page('acme')]);
    advance(STATUS_CACHE_MILLISECONDS - 1);
    await sut.page('acme');

    expect(pages.every((page) => page?.status === 'operational')).toBe(true);
    expect(subjects()).toEqual([
      'rpc.auth.statusPage.resolve',
      'rpc.ingest.publicStatus.hostGroups',
      'rpc.alerting.publicStatus.incidents',
    ]);
    advance(2);
    await sut.page('acme');
    expect(subjects()).toHaveLength(6);
  });

  it('should remember an unknown or disabled slug for as long as a page', async () => {
    const { sut, subjects } = setup({ 'rpc.auth.statusPage.resolve': notFound });

    expect(await sut.page('nobody')).toBeUndefined();
    expect(await sut.page('nobody')).toBeUndefined();
    expect(subjects()).toEqual(['rpc.auth.statusPage.resolve']);
  });

  it('should not ask any service about a slug that cannot exist', async () => {
    const { sut, call } = setup({});

    expect(await sut.page('<script>')).toBeUndefined();
    expect(await sut.page('a'.repeat(64))).toBeUndefined();
    expect(call).not.toHaveBeenCalled();
  });

  it('should not ask alerting when the tenant hides incidents, nor anyone when it lists no group', async () => {
    const hidden = setup({
      'rpc.auth.statusPage.resolve': async () => ({
        ...RESOLVED,
        config: { ...RESOLVED.config, showIncidents: false },
      }),
      'rpc.ingest.publicStatus.hostGroups': async () => HOST_GROUPS,
    });
    const empty = setup({
      'rpc.auth.statusPage.resolve': async () => ({
        ...RESOLVED,
        config: { ...RESOLVED.config, groups: [] },
      }),
    });

    expect((await hidden.sut.page('acme'))?.incidents.shown).toBe(false);
    expect((await empty.sut.page('acme'))?.status).toBe('no_data');
    expect(hidden.subjects()).not.toContain('rpc.alerting.publicStatus.incidents');
    expect(empty.subjects()).toEqual(['rpc.auth.statusPage.resolve']);
  });

  it('should show the groups and say incidents are unavailable when alerting fails', async () => {
    const { sut } = setup({
      'rpc.auth.statusPage.resolve': async () => RESOLVED,
      'rpc.ingest.publicStatus.hostGroups': async () => HOST_GROUPS,
      'rpc.alerting.publicStatus.incidents': async () => {
        throw new ProblemError({
          status: 504,
          title: 'alerting did not answer',
          code: 'timeout',
          detail: '',
        });
      },
    });

    const page = await sut.page('acme');

    expect(page?.groups).toHaveLength(1);
    expect(page?.incidents).toMatchObject({ shown: true, available: false });
  });

  it('should keep showing the last page when a refresh fails, and fail when there is none', async () => {
    let ingestUp = true;
    const { sut, advance, subjects } = setup({
      'rpc.auth.statusPage.resolve': async () => RESOLVED,
      'rpc.ingest.publicStatus.hostGroups': async () => {
        if (!ingestUp) throw new ProblemError({ status: 504, title: 'down', code: 'timeout', detail: '' });
        return HOST_GROUPS;
      },
      'rpc.alerting.publicStatus.incidents': async () => NO_INCIDENTS,
    });
    const first = await sut.page('acme');
    ingestUp = false;
    advance(STATUS_CACHE_MILLISECONDS + 1);

    expect(await sut.page('acme')).toEqual(first);
    expect(await sut.page('acme')).toEqual(first);
    await expect(sut.page('other')).rejects.toBeInstanceOf(ProblemError);
    expect(subjects().filter((subject) => subject === 'rpc.ingest.publicStatus.hostGroups')).toHaveLength(3);
  });

  it('should assemble again at once when the page is forgotten', async () => {
    const { sut, subjects } = setup({
      'rpc.auth.statusPage.resolve': notFound,
    });
    await sut.page('acme');

    sut.forget('acme');
    await sut.page('acme');

    expect(subjects()).toEqual(['rpc.auth.statusPage.resolve', 'rpc.auth.statusPage.resolve']);
  });
});
