import { LIMITS } from '@optralis/contracts';

export type Labels = Record<string, string>;

export const LABELS_PER_SAMPLE = LIMITS.labelsPerSample;
export const TOO_MANY_LABELS = `more than ${LABELS_PER_SAMPLE} labels`;
const KEY_LENGTH = LIMITS.labelKeyLength;
const VALUE_LENGTH = LIMITS.labelValueLength;

/**
 * Sets a label and tells whether its name is new. A plain object keeps V8's fast properties (a prototype-less
 * one would not); a label called `__proto__` is defined rather than assigned so that it stays a label.
 */
export function setLabel(labels: Labels, key: string, value: string): boolean {
  const fresh = !Object.hasOwn(labels, key);
  if (key === '__proto__')
    Object.defineProperty(labels, key, { value, enumerable: true, writable: true, configurable: true });
  else labels[key] = value;
  return fresh;
}

/** Why the label is refused, or undefined when it fits the Labels schema. */
export function labelProblem(key: string, value: string): string | undefined {
  if (key.length === 0) return 'a label name is empty';
  if (key.length > KEY_LENGTH) return `label name ${quote(key)} is longer than ${KEY_LENGTH} characters`;
  if (value.length > VALUE_LENGTH)
    return `value of label ${quote(key)} is longer than ${VALUE_LENGTH} characters`;
  return undefined;
}

const PREVIEW_LENGTH = 64;

/** A user-supplied text for an error message: quoted, escaped and cut short. */
export function quote(text: string): string {
  return JSON.stringify(text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text);
}
