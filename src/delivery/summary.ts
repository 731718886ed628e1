/** What one drain of the outbox did, row by row, as `jobs run` and the metrics report it. */
export interface DeliverySummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  unreachable: number;
  /** Rows whose lease ran out while we worked on them: another worker owns them now. */
  lost: number;
  /** Rows given back untried because the worker was stopping. */
  released: number;
  /** Rows left for a platform this process does not serve (the console, beside Slack or Teams). */
  waitingForPlatform: number;
  /** Cards offered on first contact put off while an earlier copy is still on its way to their decider. */
  heldBack: number;
}

export function emptySummary(): DeliverySummary {
  return {
    claimed: 0,
    sent: 0,
    retried: 0,
    dead: 0,
    unreachable: 0,
    lost: 0,
    released: 0,
    waitingForPlatform: 0,
    heldBack: 0,
  };
}

export function addSummaries(total: DeliverySummary, more: DeliverySummary): DeliverySummary {
  const out = emptySummary();
  for (const key of Object.keys(out) as (keyof DeliverySummary)[]) out[key] = total[key] + more[key];
  return out;
}
