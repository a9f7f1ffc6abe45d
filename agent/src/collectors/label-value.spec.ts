import { labelValue } from './label-value';

describe(labelValue.name, () => {
  it('should replace control, bidi and separator characters with ?', () => {
    expect(labelValue('a\nb\r\tc\u0000d\u001b[0m\u007f\u0085\u202ee\u2028f\u200bg')).toBe(
      'a?b??c?d?[0m???e?f?g',
    );
  });

  it('should replace lone surrogates and keep paired ones', () => {
    expect(labelValue('x\uD800y\uDC00z😀')).toBe('x?y?z😀');
  });

  it('should cut long values without splitting a surrogate pair', () => {
    const cut = labelValue(`${'a'.repeat(9)}😀tail`, 11);

    expect(cut).toBe(`${'a'.repeat(9)}…`);
    expect(labelValue('b'.repeat(300))).toHaveLength(256);
  });

  it('should keep ordinary text, accents and other scripts as they are', () => {
    expect(labelValue('postgres: 14/main – naïve проц 日本')).toBe('postgres: 14/main – naïve проц 日本');
  });
});
