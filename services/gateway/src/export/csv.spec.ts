import { csvField, csvRow, neutraliseFormula } from './csv';

describe('csv', () => {
  it('should quote fields holding quotes, commas, CR or LF and double embedded quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvField('')).toBe('');
    expect(csvField(' spaced ')).toBe(' spaced ');
    expect(csvField('ünïcödé 🔥')).toBe('ünïcödé 🔥');
  });

  it('should end every record with CRLF and join fields with commas', () => {
    expect(csvRow(['id', 'name', 'tags'])).toBe('id,name,tags\r\n');
    expect(csvRow(['h1', 'web, 01', 'prod;eu'])).toBe('h1,"web, 01",prod;eu\r\n');
    expect(csvRow([])).toBe('\r\n');
  });

  it('should put a quote before text a spreadsheet would run as a formula', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvField('-')).toBe("'-");
    expect(csvField('a=1')).toBe('a=1');
  });

  it('should leave numbers numeric, negative ones and numbers given as text included', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(1.5e-7)).toBe('1.5e-7');
    expect(csvField(0)).toBe('0');
    expect(csvField('-5')).toBe('-5');
    expect(csvField('+3.25')).toBe('+3.25');
    expect(csvField('-1e3')).toBe('-1e3');
    expect(csvField('-1e3+1')).toBe("'-1e3+1");
  });

  it('should write empty cells for missing values and guard numbers that are not finite', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(true)).toBe('true');
    expect(csvField(new Date('2026-11-20T10:00:00.000Z'))).toBe('2026-11-20T10:00:00.000Z');
    expect(csvField(Number.NaN)).toBe('NaN');
    expect(csvField(Number.NEGATIVE_INFINITY)).toBe("'-Infinity");
  });

  it('should leave text alone that only contains formula characters later on', () => {
    expect(neutraliseFormula('web-01')).toBe('web-01');
    expect(neutraliseFormula('user@example.com')).toBe('user@example.com');
  });
});
