import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { scratchContext } from '../../test/fixtures/fixture-host';
import { SocketOwners } from './socket-owners';

function holdSocket(proc: string, pid: string, comm: string, inode: string) {
  mkdirSync(join(proc, pid, 'fd'), { recursive: true });
  writeFileSync(join(proc, pid, 'comm'), `${comm}\n`);
  symlinkSync(`socket:[${inode}]`, join(proc, pid, 'fd', '3'));
}

describe(SocketOwners.name, () => {
  it('should read descriptors again only when a socket appears that no search looked for', () => {
    const { proc } = scratchContext().paths;
    holdSocket(proc, '10', 'sshd', '500');
    const sut = new SocketOwners();

    expect(sut.of(proc, new Set(['500', '501']))).toEqual(new Map([['500', new Set(['sshd'])]]));
    rmSync(join(proc, '10'), { recursive: true });
    holdSocket(proc, '11', 'nginx', '501');
    expect(sut.of(proc, new Set(['500', '501']))).toEqual(new Map([['500', new Set(['sshd'])]]));

    holdSocket(proc, '12', 'redis-server', '502');
    expect(sut.of(proc, new Set(['501', '502']))).toEqual(
      new Map([
        ['501', new Set(['nginx'])],
        ['502', new Set(['redis-server'])],
      ]),
    );
  });
});
