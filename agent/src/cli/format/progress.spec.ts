import { createProgress } from './progress';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe(createProgress.name, () => {
  it('should redraw one line and clear it when stderr is a terminal', () => {
    const stderr = stream(true);
    let time = 0;
    const sut = createProgress({ stream: stderr, enabled: true, now: () => time });
    sut.update('500 hosts…');
    time = 50;
    sut.update('1000 hosts…');
    time = 200;
    sut.update('1500 hosts…');
    sut.done();
    expect(stderr.written).toEqual(['\r500 hosts…\x1b[K', '\r1500 hosts…\x1b[K', '\r\x1b[K']);
  });

  it('should write whole lines at most once a second when stderr is not a terminal', () => {
    const stderr = stream(false);
    let time = 0;
    const sut = createProgress({ stream: stderr, enabled: true, now: () => time });
    sut.update('1 MiB');
    time = 500;
    sut.update('2 MiB');
    time = 1000;
    sut.update('3 MiB');
    sut.done('done: 3 MiB');
    expect(stderr.written).toEqual(['1 MiB\n', '3 MiB\n', 'done: 3 MiB\n']);
  });

  it('should write nothing when it is disabled', () => {
    const stderr = stream(true);
    const sut = createProgress({ stream: stderr, enabled: false });
    sut.update('x');
    sut.done('y');
    expect(stderr.written).toEqual([]);
  });
});
