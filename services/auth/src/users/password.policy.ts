import { COMMON_PASSWORDS } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 12;
const MIN_FRAGMENT = 3;

export interface PolicyContext {
  email?: string;
  tenantSlug?: string;
}

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const REVERSED = SEQUENCES.map((run) => [...run].reverse().join(''));

/** The word under the decoration: digits and symbols trimmed off both ends, leetspeak undone. */
function core(password: string): string {
  return password
    .toLowerCase()
    .replace(/^[^a-z@$]+|[^a-z]+$/g, '')
    .replace(/@/g, 'a')
    .replace(/\$/g, 's')
    .replace(/0/g, 'o')
    .replace(/3/g, 'e')
    .replace(/[^a-z]/g, '');
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const bare = lower.replace(/[^a-z0-9]/g, '');
  return [lower, bare, core(password)].some((candidate) => COMMON_PASSWORDS.has(candidate));
}

function isSequence(password: string): boolean {
  const lower = password.toLowerCase();
  return [...SEQUENCES, ...REVERSED].some((run) => (run + run).includes(lower));
}

/** The first reason the password is refused, or undefined when it passes. */
export function passwordProblem(password: string, context: PolicyContext = {}): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `use at least ${MIN_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 3) return 'use more than three different characters';
  if (isSequence(password)) return 'do not use a keyboard or alphabet sequence';
  if (isCommon(password)) return 'this password is too common';
  const local = context.email?.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= MIN_FRAGMENT && lower.includes(local)) return 'do not use your email address';
  const slug = context.tenantSlug?.toLowerCase() ?? '';
  if (slug.length >= MIN_FRAGMENT && lower.includes(slug)) return 'do not use the tenant name';
  return undefined;
}
