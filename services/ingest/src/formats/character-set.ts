const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/** An ASCII membership table: a lookup per character instead of a regular expression. */
export class CharacterSet {
  private readonly members = new Uint8Array(128);

  constructor(characters: string) {
    for (let index = 0; index < characters.length; index++) this.members[characters.charCodeAt(index)] = 1;
  }

  has(code: number): boolean {
    return code < 128 && this.members[code] === 1;
  }
}

/** What ids.ts allows in a subject token. */
export const SUBJECT_CHARACTERS = new CharacterSet(`${LETTERS}${DIGITS}_-:@~+=`);
/** What the MetricName schema allows after the first character. */
export const METRIC_NAME_CHARACTERS = new CharacterSet(`${LETTERS}${DIGITS}_.:-/`);
/** What the MetricName schema allows as the first character. */
export const METRIC_NAME_START = new CharacterSet(`${LETTERS}_`);
export const DECIMAL_DIGITS = new CharacterSet(DIGITS);
