import { formatPosition, parsePosition, sseComment, sseFrame } from './live-position';

describe('live event positions', () => {
  it('should read back what it writes when the id is well formed', () => {
    expect(parsePosition(formatPosition({ alerts: 42, hosts: 7 }))).toEqual({ alerts: 42, hosts: 7 });
    expect(parsePosition(' 0.0 ')).toEqual({ alerts: 0, hosts: 0 });
  });

  it('should start fresh when the id is missing, malformed, hostile or too large', () => {
    for (const id of [
      undefined,
      '',
      '42',
      'a.b',
      '1.2.3',
      '-1.5',
      '1e3.4',
      '../../etc',
      '9999999999999999.1',
    ]) {
      expect(parsePosition(id)).toBeUndefined();
    }
  });

  it('should keep one event per frame when the data holds newlines', () => {
    const frame = sseFrame({ id: '1.2', type: 'alert', data: { summary: 'a\nb\r\ndata: forged' } });
    expect(frame.split('\n\n')).toHaveLength(2);
    expect(frame).toContain('data: {"summary":"a\\nb\\r\\ndata: forged"}');
    expect(sseComment('beat\nevent: forged')).toBe(': beat event: forged\n\n');
  });
});
