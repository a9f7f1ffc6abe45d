import { safeJson, terminalLines, terminalStreamFilter, terminalText } from './terminal-text';

describe(terminalText.name, () => {
  it('should show escape sequences as text when a host name carries ANSI colours and a title change', () => {
    expect(terminalText('evil\x1b[31mRED\x1b]0;pwned\x07')).toBe('evil\\x1b[31mRED\\x1b]0;pwned\\x07');
  });

  it('should show a one-character CSI when text carries C1 controls', () => {
    expect(terminalText('a\u009b2Jb')).toBe('a\\x9b2Jb');
  });

  it('should show bidi overrides and zero-width characters when a tag tries to look like another', () => {
    expect(terminalText('x\u202eevil\u200bweb\u2066')).toBe('x\\u202eevil\\u200bweb\\u2066');
  });

  it('should put line breaks and tabs on one visible line when text spans lines', () => {
    expect(terminalText('a\nb\tc\rd')).toBe('a\\x0ab\\x09c\\x0dd');
  });

  it('should leave ordinary text alone when nothing is unsafe', () => {
    expect(terminalText('web-01 · Debian 12 · 日本')).toBe('web-01 · Debian 12 · 日本');
  });
});

describe(terminalLines.name, () => {
  it('should keep line feeds and tabs when text is multi-line data', () => {
    expect(terminalLines('a\tb\nc\x1b[2J')).toBe('a\tb\nc\\x1b[2J');
  });
});

describe(safeJson.name, () => {
  it('should escape C1 and bidi characters while keeping the same JSON value', () => {
    const value = { name: 'a\u009b2J\u202e\x1b' };
    const sut = safeJson(value);
    for (const unsafe of ['\u009b', '\u202e', '\x1b']) expect(sut).not.toContain(unsafe);
    expect(JSON.parse(sut)).toEqual(value);
  });
});

describe(terminalStreamFilter.name, () => {
  it('should turn CRLF into LF when the CR and the LF arrive in different chunks', () => {
    const sut = terminalStreamFilter();
    const text = sut.push('a,b\r') + sut.push('\nc\x1b,d\r\n') + sut.end();
    expect(text).toBe('a,b\nc\\x1b,d\n');
  });

  it('should show a lone CR when nothing follows it', () => {
    const sut = terminalStreamFilter();
    expect(sut.push('a\r') + sut.end()).toBe('a\\x0d');
  });
});
