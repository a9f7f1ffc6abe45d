/** `name{key=value,…}` with sorted keys: one series of a host, whatever order the labels came in. */
export function seriesKey(name: string, labels: Record<string, string> | undefined): string {
  if (!labels) return name;
  const keys = Object.keys(labels);
  if (keys.length === 0) return name;
  keys.sort();
  return `${name}{${keys.map((key) => `${key}=${labels[key]}`).join(',')}}`;
}

/** Every label the rule names must be on the sample with the same value. */
export function labelsMatch(
  wanted: readonly (readonly [string, string])[],
  labels: Record<string, string> | undefined,
) {
  for (const [key, value] of wanted) if (labels?.[key] !== value) return false;
  return true;
}
