import { checkOutboundUrl, guardedLookup, isForbiddenAddress, UnsafeUrlError } from './outbound-url.guard';

describe('outbound URL guard', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.10',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::1',
    'not-an-address',
  ])('should refuse %s when it is not a public unicast address', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('should allow %s when it is public', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  it('should refuse schemes other than http and https even when private targets are allowed', async () => {
    for (const url of [
      'file:///etc/passwd',
      'gopher://example.com/',
      'data:text/plain,hi',
      'ftp://example.com/',
    ]) {
      await expect(checkOutboundUrl(url, true)).rejects.toBeInstanceOf(UnsafeUrlError);
    }
    await expect(checkOutboundUrl('http://127.0.0.1/hook', true)).resolves.toBeUndefined();
  });

  it('should refuse a name that resolves to loopback and allow a public literal', async () => {
    await expect(checkOutboundUrl('http://localhost:8080/', false)).rejects.toThrow(
      /resolves to 127\.0\.0\.1/,
    );
    await expect(checkOutboundUrl('http://[::1]/', false)).rejects.toBeInstanceOf(UnsafeUrlError);
    await expect(checkOutboundUrl('https://93.184.215.14/hook', false)).resolves.toBeUndefined();
  });

  it('should fail the connection lookup when the name resolves to a private address', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) =>
      lookup('localhost', { all: true }, (failure) => resolve(failure)),
    );
    expect(error).toBeInstanceOf(UnsafeUrlError);
    const allowed = await new Promise<unknown>((resolve) =>
      guardedLookup(true)('localhost', {}, (failure, address) => resolve(failure ?? address)),
    );
    expect(allowed).toBe('127.0.0.1');
  });
});
