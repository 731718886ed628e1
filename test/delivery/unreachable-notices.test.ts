import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showJson } from '../../adapters/cli/commands.js';
import { expireTransfer } from '../../src/app/actions.js';
import { historyEntryText } from '../../src/app/history-text.js';
import { loadTransferView } from '../../src/app/load-view.js';
import type { JobLogger } from '../../src/delivery/logger.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { RecordingSender, type Delivery } from '../support/recording-sender.js';
import { awaitingConsent } from '../support/transfers.js';
import { EMAILS, seededDatabase, type testDeps } from '../support/world.js';

describe.each(drivers)('a person nobody can reach (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
  });
  afterAll(() => database.dispose());

  /** The requester's notices that Paul cannot be reached. */
  const noticesAboutPaul = (log: Delivery[], id: string) =>
    log.filter(
      (d) =>
        d.kind === 'message' &&
        d.to.id === 'UALICE' &&
        d.text.key === 'delivery:unreachable.user' &&
        d.text.params?.['id'] === id,
    );

  it('is told to the requester once per step of the transfer, and the history says what each lost message was', async () => {
    const log: Delivery[] = [];
    const slack = new RecordingSender({ platform: 'slack', log });
    // Paul has neither a Slack nor a Teams id: his status message and his consent request both fail.
    const id = await awaitingConsent(deps, 'SO:100-2', { transferee: 'paul' });
    await drainOutbox(deps, { senders: [slack], random: () => 0 });
    expect(noticesAboutPaul(log, id)).toHaveLength(1);

    const view = await loadTransferView(deps, id, null);
    const lost = view!.history.filter((h) => h.action === 'delivery.unreachable');
    expect(lost.map((h) => historyEntryText('en', h).what)).toEqual([
      `Could not reach Paul Partner <${EMAILS.paul}> (status message)`,
      `Could not reach Paul Partner <${EMAILS.paul}> (consent request)`,
    ]);
    expect(historyEntryText('fr', lost[1]!).what).toBe(
      `Impossible de joindre Paul Partner <${EMAILS.paul}> (envoi\u00a0: demande de consentement)`,
    );

    // The next step (the consent expires) is another status message he misses: one more notice.
    const longAgo = new Date(deps.now().getTime() - 31 * 86_400_000);
    expect((await expireTransfer(deps, id, longAgo)).ok).toBe(true);
    await drainOutbox(deps, { senders: [slack], random: () => 0 });
    expect(noticesAboutPaul(log, id)).toHaveLength(2);
  });

  it('is logged by user id only, and `show --json` says which message each lost one was', async () => {
    const slack = new RecordingSender({ platform: 'slack', log: [] });
    const logged: { fields: object; message: string }[] = [];
    const keep = (fields: object, message: string) => logged.push({ fields, message });
    const logger: JobLogger = { debug: keep, info: keep, warn: keep, error: keep };
    const id = await awaitingConsent(deps, 'SO:100-2', { transferee: 'paul' });
    await drainOutbox(deps, { senders: [slack], random: () => 0, logger });

    const unreachable = logged.filter((l) => l.message === 'recipient unreachable on every platform');
    expect(unreachable).toHaveLength(2);
    const paulId = (await deps.store.users.findUser({ email: EMAILS.paul }))!.id;
    for (const line of unreachable) {
      expect(line.fields).toMatchObject({ transferId: id, who: { kind: 'user', userId: paulId } });
      expect(JSON.stringify(line.fields)).not.toContain(EMAILS.paul);
      expect(JSON.stringify(line.fields)).not.toContain('Paul Partner');
    }

    const json = JSON.parse(await showJson(deps, id)) as { history: { action: string; reason: string }[] };
    expect(json.history.filter((h) => h.action === 'delivery.unreachable').map((h) => h.reason)).toEqual([
      `Could not reach Paul Partner <${EMAILS.paul}> (status message)`,
      `Could not reach Paul Partner <${EMAILS.paul}> (consent request)`,
    ]);
  });
});
