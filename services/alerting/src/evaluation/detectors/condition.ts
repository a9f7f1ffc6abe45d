export type Condition = 'ok' | 'warning' | 'critical';

const rank: Record<Condition, number> = { ok: 0, warning: 1, critical: 2 };

export function worse(left: Condition, right: Condition): Condition {
  return rank[right] > rank[left] ? right : left;
}
