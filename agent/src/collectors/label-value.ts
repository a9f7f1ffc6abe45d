/** Longer than any unit, container or process name in practice, and well inside the contract's 1,024. */
export const LABEL_VALUE_MAX_LENGTH = 256;

// Control, format (bidi overrides, zero-width) and line/paragraph separator characters could forge
// lines or reorder text wherever a label is shown; lone surrogates would not survive JSON storage.
const UNSAFE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** A label (or inventory) value from host-controlled text: unsafe characters become `?`, long text is cut. */
export function labelValue(raw: string, maxLength = LABEL_VALUE_MAX_LENGTH): string {
  const safe = raw.replace(UNSAFE, '?');
  if (safe.length <= maxLength) return safe;
  let end = maxLength - 1;
  const last = safe.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${safe.slice(0, end)}…`;
}
