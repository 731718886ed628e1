/**
 * The files that take longest, most of it waiting on purpose (outages, a stalled database, processes
 * killed and started again), longest first (a local run of 2026-12-07). Vitest starts the files whose
 * time it has recorded longest first; a fresh clone (CI) has no record, and it would start the largest
 * files first instead, leaving these to the end of the run, where their waits find no other work to
 * overlap (99.9 s against 95.5 s locally). A file missing here runs in vitest's order after these.
 */
export const LONGEST = [
  'test/slack/outage.test.ts',
  'test/cli/cli.test.ts',
  'test/cli/acknowledged-work.test.ts',
  'test/cli/stall-shutdown.test.ts',
  'test/teams/outage.test.ts',
  'test/schedule/reminders.test.ts',
  'test/db/outbox-claim.test.ts',
  'test/slack/database-stall.test.ts',
  'test/delivery/recovery.test.ts',
  'test/cli/progress.test.ts',
  'test/cli/doctor.test.ts',
  'test/cli/start-errors.test.ts',
  'test/cli/teams-acknowledged-work.test.ts',
  'test/db/reused-databases.test.ts',
];
