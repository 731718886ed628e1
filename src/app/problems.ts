import { msg, type Msg } from '../domain/msg.js';

/** Problems a refusal names one by one (each asset and why it cannot move); the rest are counted. */
export const PROBLEMS_SHOWN = 50;

const MORE = 'core:refusal.moreProblems';

/**
 * The first `shown` problems, then one line that counts the rest ("…and N more"). Given lines already cut
 * this way, it counts the rest from the line that ends them, so a surface with room for fewer lines still
 * says how many it does not show.
 */
export function firstProblems(problems: readonly Msg[], shown: number = PROBLEMS_SHOWN): Msg[] {
  const last = problems.at(-1);
  const counted = last?.key === MORE ? Number(last.params?.['count'] ?? 0) : 0;
  const named = last?.key === MORE ? problems.slice(0, -1) : problems;
  const keep = Math.max(0, Math.min(shown, named.length));
  const rest = named.length - keep + counted;
  return rest > 0 ? [...named.slice(0, keep), msg(MORE, { count: rest })] : [...named];
}
