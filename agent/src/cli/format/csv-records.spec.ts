import { CsvRecordReader, withoutFormulaGuard } from './csv-records';

describe(CsvRecordReader.name, () => {
  it('should split records when fields hold quotes, commas and line breaks', () => {
    const sut = new CsvRecordReader();
    const records = sut.push('id,name\r\n1,"a ""b"", c"\r\n2,"line\r\nbreak"\r\n3,\r\n');
    expect(records).toEqual([
      ['id', 'name'],
      ['1', 'a "b", c'],
      ['2', 'line\r\nbreak'],
      ['3', ''],
    ]);
    expect(sut.end()).toEqual([]);
  });

  it('should give the same records when the text arrives one character at a time', () => {
    const text = 'x,"y\r\n""z"""\r\n1,2\r\n';
    const sut = new CsvRecordReader();
    const records = [...text].flatMap((character) => sut.push(character));
    expect(records).toEqual([
      ['x', 'y\r\n"z"'],
      ['1', '2'],
    ]);
  });

  it('should give the last record when the text does not end with a line break', () => {
    const sut = new CsvRecordReader();
    expect(sut.push('a,b\r\nc,d')).toEqual([['a', 'b']]);
    expect(sut.end()).toEqual([['c', 'd']]);
  });
});

describe(withoutFormulaGuard.name, () => {
  it('should drop the guard quote when it protects a formula start', () => {
    expect(withoutFormulaGuard("'=cmd|calc")).toBe('=cmd|calc');
    expect(withoutFormulaGuard("'-rf")).toBe('-rf');
  });

  it('should keep a quote when it is part of the text', () => {
    expect(withoutFormulaGuard("'quoted'")).toBe("'quoted'");
  });
});
