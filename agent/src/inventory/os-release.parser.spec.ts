import { parseOsRelease } from './os-release.parser';

describe(parseOsRelease.name, () => {
  it('should unquote values and undo backslash escapes in double quotes only', () => {
    const fields = parseOsRelease(
      'PRETTY_NAME="Acme \\"Edge\\" Linux"\nNAME=\'It\\s $raw\'\nID=acme\n# comment\nlowercase=ignored\nVERSION_ID=\n',
    );

    expect(fields).toEqual({
      PRETTY_NAME: 'Acme "Edge" Linux',
      NAME: 'It\\s $raw',
      ID: 'acme',
      VERSION_ID: '',
    });
  });
});
