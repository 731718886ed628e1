import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { history, licenses, outbox, roleGrants } from '../../db/schema.js';
import { cancelTransfer, consentTransfer, screenTransfer, submitTransfer } from '../../src/app/actions.js';
import { retryTransfer } from '../../src/app/retry.js';
import { dispatch } from '../../src/app/dispatch.js';
import { requestTransfer, type RequestInput } from '../../src/app/request.js';
import { listAssets } from '../../src/app/asset-list.js';
import { transferorChoices } from '../../src/app/request-form.js';
import { transferJson } from '../../src/app/transfer-json.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { tr } from '../../src/i18n/index.js';
import { countingNameReads } from '../support/counting-deps.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { toParis } from '../support/transfers.js';
import { actor, EMAILS, seededDatabase, type testDeps } from '../support/world.js';

const refs = (...texts: string[]) => texts.map((t) => parseAssetRef(t)!);

const toBelgium = (assets: string[], extra: Partial<RequestInput> = {}): RequestInput => ({
  source: { smartAccount: 'fr-a.example' },
  destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
  assets: refs(...assets),
  sameCompany: false,
  transferee: EMAILS.bob,
  justification: 'Moving the Brussels office equipment',
  termsAccepted: true,
  ...extra,
});

describe.each(drivers)('transfer flows (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
  });
  afterAll(() => database.dispose());

  /** Alice's request of `asset` to Belgium, submitted and consented by Bob: waiting for compliance (Cora). */
  async function inScreening(asset: string) {
    const [alice, bob, cora] = await Promise.all([
      actor(database.db, 'alice'),
      actor(database.db, 'bob'),
      actor(database.db, 'cora'),
    ]);
    const requested = await requestTransfer(deps, alice, toBelgium([asset]));
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    await submitTransfer(deps, alice, id);
    await consentTransfer(deps, bob, id, 'approve');
    return { alice, cora, id };
  }

  async function outboxFor(transferId: string) {
    const rows = await database.db.select().from(outbox);
    return rows.filter((r) => r.payload.transferId === transferId);
  }

  it('keeps a justification given between sites of the same company, where none is asked', async () => {
    const alice = await actor(database.db, 'alice');
    const requested = await requestTransfer(deps, alice, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      assets: refs('SO:105-1'),
      sameCompany: true,
      justification: '  Lab moves to Paris  ',
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    expect((await loadTransferView(deps, requested.value.state.id, alice))?.justification).toBe(
      'Lab moves to Paris',
    );
    await cancelTransfer(deps, alice, requested.value.state.id);
  });

  it('moves assets between two sites of the same company without consent', async () => {
    const alice = await actor(database.db, 'alice');
    const requested = await requestTransfer(deps, alice, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      assets: refs('SO:100-1'),
      sameCompany: true,
    });
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    expect(requested.value.state.status).toBe('pending_submission');
    expect(requested.value.state.id).toMatch(/^AT-[0-9A-Z]{8}$/);

    const submitted = await submitTransfer(deps, alice, requested.value.state.id);
    expect(submitted.ok && submitted.value.status).toBe('transfer_completed');
    const [moved] = await database.db.select().from(licenses).where(eq(licenses.salesOrder, '100'));
    expect(moved).toBeDefined();
    const view = await loadTransferView(deps, requested.value.state.id, null);
    const json = transferJson(view!);
    expect(json).toMatchObject({
      status: 'transfer_completed',
      sourceSmartAccount: 'fr-a.example',
      destinationSmartAccount: 'fr-b.example',
      destinationVirtualAccount: 'DEFAULT',
      sameLegalEntity: true,
      items: [{ ref: 'SO:100-1', kind: 'license', result: 'transferred', reason: null }],
    });
    const path = (json.history as { from: string | null; to: string | null }[]).map((h) => h.to);
    // Each row says what was done and where, so a step that changes no status still reads as one.
    expect(
      (json.history as { action: string; surface: string }[]).map((h) => `${h.surface}:${h.action}`),
    ).toEqual([
      'console:request',
      'console:validate',
      'console:validate',
      'console:submit',
      'console:submit',
      'console:execute',
    ]);
    expect(path).toEqual([
      'validation_initiated',
      'validation_completed',
      'pending_submission',
      'submitted',
      'transfer_initiated',
      'transfer_completed',
    ]);
    const notices = await outboxFor(requested.value.state.id);
    expect(notices.some((n) => n.payload.type === 'card')).toBe(false);
  });

  it('asks the transferee, then compliance, then moves: another legal entity', async () => {
    const [alice, bob, cora] = await Promise.all([
      actor(database.db, 'alice'),
      actor(database.db, 'bob'),
      actor(database.db, 'cora'),
    ]);
    const requested = await requestTransfer(deps, alice, toBelgium(['SO:103-1', 'SN:FOC0002']));
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    const id = requested.value.state.id;
    const view = await loadTransferView(deps, id, alice);
    const warned = view!.items.find((i) => i.ref === 'SO:103-1')!;
    expect(warned.warnings.map((w) => w.key)).toEqual(['eligibility:warning.inUse']);
    expect(view!.transfereeLegalName).toBe('Lumière Réseaux Belgique SA');

    const submitted = await submitTransfer(deps, alice, id);
    expect(submitted.ok && submitted.value.status).toBe('awaiting_consent');
    const cards = (await outboxFor(id)).filter((n) => n.payload.type === 'card');
    expect(cards.map((c) => c.payload.decision)).toEqual(['consent:transferee']);

    const approved = await consentTransfer(deps, bob, id, 'approve');
    expect(approved.ok && approved.value.status).toBe('compliance_screening');
    expect(
      (await outboxFor(id)).some(
        (n) => n.payload.decision === 'compliance' && n.recipientChannel === 'compliance',
      ),
    ).toBe(true);

    const screened = await screenTransfer(deps, cora, id, 'approve');
    expect(screened.ok && screened.value.status).toBe('transfer_completed');
    const after = await loadTransferView(deps, id, bob);
    expect(after!.items.every((i) => i.result === 'transferred')).toBe(true);
    // The requester heard of every change, and the cards were refreshed once decided.
    const messages = await outboxFor(id);
    const requesterId = after!.requester.id;
    expect(
      messages.filter((m) => m.recipientUserId === requesterId && m.payload.type === 'message').length,
    ).toBeGreaterThanOrEqual(4);
    expect(messages.filter((m) => m.payload.type === 'card_refresh').length).toBe(2);
  });

  /**
   * Alice's request to Belgium, submitted; Bob approves it on its card, then Cora rejects it with a command
   * (rejected, so the asset stays where the other tests expect it). The answers to both decisions.
   */
  async function approvedOnCardThenRejected(on: typeof deps) {
    const [alice, bob, cora] = await Promise.all([
      actor(database.db, 'alice'),
      actor(database.db, 'bob'),
      actor(database.db, 'cora'),
    ]);
    const requested = await requestTransfer(on, alice, toBelgium(['SO:105-1']));
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    await submitTransfer(on, alice, id);
    const onCard = await dispatch(
      on,
      bob,
      { type: 'consent', transactionId: id, decision: 'approve' },
      { onCard: true },
    );
    const typed = await dispatch(on, cora, {
      type: 'screen',
      transactionId: id,
      decision: 'reject',
      reason: 'Export licence missing',
    });
    return { id, cora, onCard, typed };
  }

  it('answers a decision taken on a decision card with the card’s view, leaving out the history it does not show', async () => {
    const { onCard, typed } = await approvedOnCardThenRejected(deps);
    expect(onCard.kind === 'transfer' && onCard.view.status).toBe('compliance_screening');
    expect(onCard.kind === 'transfer' && onCard.view.history).toEqual([]);
    // Taken anywhere else (a command, the transfer's own card), the answer shows the transfer's history.
    expect(typed.kind === 'transfer' && typed.view.history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['request', 'consent.approve', 'screen.reject']),
    );
  });

  it('answers a decision with the names its own transaction read back with the transfer, reading none after it', async () => {
    const counted = countingNameReads(deps);
    const { id, cora, onCard, typed } = await approvedOnCardThenRejected(counted.deps);
    expect(counted.reads()).toBe(0);
    for (const [answer, decider] of [
      [onCard, 'Bob Peeters'],
      [typed, 'Cora Compliance'],
    ] as const) {
      if (answer.kind !== 'transfer') throw new Error(`answered ${answer.kind}`);
      expect(answer.view.requester).toMatchObject({ name: 'Alice Martin', email: EMAILS.alice });
      expect(answer.view.transferee).toMatchObject({ name: 'Bob Peeters', email: EMAILS.bob });
      expect(answer.view.destination).toMatchObject({ domain: 'be.example' });
      expect(answer.view.destination.name).not.toBe('');
      expect(JSON.stringify(answer.view)).toContain(decider);
    }
    // Read apart, the transfer's names are the same as the decision drew them.
    const fresh = await loadTransferView(deps, id, cora);
    if (typed.kind !== 'transfer') throw new Error(`answered ${typed.kind}`);
    const { requester, transferee, source, destination } = typed.view;
    expect({ requester, transferee, source, destination }).toEqual({
      requester: fresh!.requester,
      transferee: fresh!.transferee,
      source: fresh!.source,
      destination: fresh!.destination,
    });
  });

  it('asks every eligible transferor of a partner’s request when none is named: the first answer counts', async () => {
    const [paul, bob, alice, carol] = await Promise.all([
      actor(database.db, 'paul'),
      actor(database.db, 'bob'),
      actor(database.db, 'alice'),
      actor(database.db, 'carol'),
    ]);
    const requested = await requestTransfer(deps, paul, toBelgium(['SO:105-1']));
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    const id = requested.value.state.id;
    const submitted = await submitTransfer(deps, paul, id);
    if (!submitted.ok) throw new Error(submitted.refusal.message.key);
    // Alice and Carol both administer the source for its own company: both are asked.
    expect(submitted.value.consents.map((c) => `${c.role}:${c.userId}`).sort()).toEqual(
      [`transferee:${bob.userId}`, `transferor:${alice.userId}`, `transferor:${carol.userId}`].sort(),
    );
    const cards = (await outboxFor(id)).filter((r) => r.payload.type === 'card');
    expect(cards.map((r) => r.recipientUserId).sort()).toEqual(
      [alice.userId, bob.userId, carol.userId].sort(),
    );

    const first = await consentTransfer(deps, carol, id, 'approve');
    expect(first.ok && first.value.status).toBe('awaiting_consent');
    const late = await consentTransfer(deps, alice, id, 'reject', 'Not agreed with finance');
    expect(!late.ok && late.refusal.message).toMatchObject({
      key: 'core:refusal.alreadyDecided',
      params: { decision: 'approved', by: 'Carol Durand' },
    });
    const rejected = await consentTransfer(deps, bob, id, 'reject', 'Not agreed with finance');
    expect(rejected.ok && rejected.value.status).toBe('cancelled');
    const view = await loadTransferView(deps, id, paul);
    expect(view!.cancelReason?.key).toBe('core:cancel.consentRejected');
    // Carol answered for both transferors asked: the JSON names her, once, and not Alice.
    const json = transferJson(view!);
    expect(json.transferor).toEqual({ email: EMAILS.carol, name: 'Carol Durand' });
    expect(
      (json.consents as { role: string; email: string; decision: string | null }[])
        .map((c) => `${c.role}:${c.email}:${c.decision}`)
        .sort(),
    ).toEqual([`transferee:${EMAILS.bob}:rejected`, `transferor:${EMAILS.carol}:approved`].sort());
    // The asset is free again for a new request.
    const again = await requestTransfer(deps, paul, toBelgium(['SO:105-1']));
    expect(again.ok).toBe(true);
    if (again.ok) await cancelTransfer(deps, paul, again.value.state.id);
  });

  it('lists the transferors a partner may name, and none for a request that asks no transferor', async () => {
    const [paul, alice] = await Promise.all([actor(database.db, 'paul'), actor(database.db, 'alice')]);
    const choices = await transferorChoices(deps, paul, 'fr-a.example', 'be.example');
    expect(choices.map((c) => c.email).sort()).toEqual([EMAILS.alice, EMAILS.carol].sort());
    expect(await transferorChoices(deps, alice, 'fr-a.example', 'be.example')).toEqual([]);
  });

  it('never asks the transferee to consent as transferor too, though they administer both accounts', async () => {
    const [paul, alice, carol] = await Promise.all([
      actor(database.db, 'paul'),
      actor(database.db, 'alice'),
      actor(database.db, 'carol'),
    ]);
    // Alice, of the customer's legal entity, administers the source and the destination.
    const both = await requestTransfer(
      deps,
      paul,
      toBelgium(['SO:105-1'], { transferee: EMAILS.alice, transferor: EMAILS.alice }),
    );
    expect(!both.ok && both.refusal.message.key).toBe('core:refusal.transferorNotEligible');
    expect(!both.ok && both.refusal.details?.map((d) => d.params?.email)).toEqual([EMAILS.carol]);

    const asked = await requestTransfer(deps, paul, toBelgium(['SO:105-1'], { transferee: EMAILS.alice }));
    if (!asked.ok) throw new Error(asked.refusal.message.key);
    const submitted = await submitTransfer(deps, paul, asked.value.state.id);
    if (!submitted.ok) throw new Error(submitted.refusal.message.key);
    expect(submitted.value.consents.map((c) => [c.role, c.userId])).toEqual([
      ['transferee', alice.userId],
      ['transferor', carol.userId],
    ]);
    // Closed again, the asset free for the next test.
    await consentTransfer(deps, alice, asked.value.state.id, 'reject', 'Not now');
  });

  it('asks only the transferor a partner names, and refuses one who may not consent, listing who may', async () => {
    const [paul, alice, carol] = await Promise.all([
      actor(database.db, 'paul'),
      actor(database.db, 'alice'),
      actor(database.db, 'carol'),
    ]);
    const wrong = await requestTransfer(deps, paul, toBelgium(['SO:105-1'], { transferor: EMAILS.bob }));
    expect(!wrong.ok && wrong.refusal).toMatchObject({
      message: {
        key: 'core:refusal.transferorNotEligible',
        params: { email: EMAILS.bob, domain: 'fr-a.example' },
      },
    });
    expect(!wrong.ok && wrong.refusal.details?.map((d) => d.params?.email).sort()).toEqual(
      [EMAILS.alice, EMAILS.carol].sort(),
    );

    const named = await requestTransfer(
      deps,
      paul,
      toBelgium(['SO:105-1'], { transferor: 'Carol@FR.example' }),
    );
    if (!named.ok) throw new Error(named.refusal.message.key);
    // Named before anyone is asked: the transfer says whom, in its view and its JSON.
    const before = await loadTransferView(deps, named.value.state.id, paul);
    expect(before!.namedTransferor?.email).toBe(EMAILS.carol);
    expect(transferJson(before!).transferor).toEqual({ email: EMAILS.carol, name: 'Carol Durand' });
    const submitted = await submitTransfer(deps, paul, named.value.state.id);
    if (!submitted.ok) throw new Error(submitted.refusal.message.key);
    const transferors = submitted.value.consents.filter((c) => c.role === 'transferor');
    expect(transferors.map((c) => c.userId)).toEqual([carol.userId]);
    // Once asked, the consents say it; the named line goes.
    expect((await loadTransferView(deps, named.value.state.id, paul))!.namedTransferor).toBeNull();
    const notAsked = await consentTransfer(deps, alice, named.value.state.id, 'approve');
    expect(!notAsked.ok && notAsked.refusal.message.key).toBe('core:refusal.notConsenter');
    await consentTransfer(deps, carol, named.value.state.id, 'reject', 'Not now');
  });

  it('records the compliance reason on rejection and refuses a reject without one', async () => {
    const { alice, cora, id } = await inScreening('SO:104-1');
    const noReason = await screenTransfer(deps, cora, id, 'reject', '  ');
    expect(!noReason.ok && noReason.refusal.message.key).toBe('core:refusal.reasonRequired');
    const rejected = await screenTransfer(deps, cora, id, 'reject', 'Denied party match');
    expect(rejected.ok && rejected.value.status).toBe('compliance_rejected');
    const view = await loadTransferView(deps, id, alice);
    expect(view!.history.at(-1)).toMatchObject({ to: 'compliance_rejected', reason: 'Denied party match' });
    const refusedRows = await database.db
      .select()
      .from(history)
      .where(eq(history.action, 'refused.screen.reject'));
    expect(refusedRows.some((r) => r.transferId === id)).toBe(true);
  });

  it("records a person's words so nobody reads them reordered: a right-to-left override is kept by its code point", async () => {
    const [alice, bob] = await Promise.all([actor(database.db, 'alice'), actor(database.db, 'bob')]);
    const requested = await requestTransfer(
      deps,
      alice,
      toBelgium(['SO:104-1'], {
        justification: 'Approved by legal \u202Edetaeler ton\u202C ok\r\nsecond line',
        transfereeLegalName: 'Lumière \u2067Belgique\u2069 SA',
      }),
    );
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    await submitTransfer(deps, alice, id);
    const rejected = await consentTransfer(deps, bob, id, 'reject', 'Not \u202Eyes');
    expect(rejected.ok && rejected.value.status).toBe('cancelled');
    const view = await loadTransferView(deps, id, alice);
    expect(view!.justification).toBe('Approved by legal U+202Edetaeler tonU+202C ok\nsecond line');
    expect(view!.transfereeLegalName).toBe('Lumière U+2067BelgiqueU+2069 SA');
    expect(view!.consents.find((c) => c.role === 'transferee')?.reason).toBe('Not U+202Eyes');
    // Nor in what the bot sends: the requester is told who rejected and why.
    const sent = JSON.stringify(await outboxFor(id));
    expect(sent).toContain('Not U+202Eyes');
    expect(sent).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/u);
  });

  it('keeps on record each reason an action was refused for, though several come in one minute', async () => {
    const { cora, id } = await inScreening('SO:104-1');
    // Within one minute: a reject without a reason, the approval, then a reject that comes too late.
    await screenTransfer(deps, cora, id, 'reject', '');
    await screenTransfer(deps, cora, id, 'reject', '');
    await screenTransfer(deps, cora, id, 'approve');
    const late = await screenTransfer(deps, cora, id, 'reject', 'Denied party match');
    expect(late.ok).toBe(false);
    const rows = await database.db
      .select()
      .from(history)
      .where(eq(history.transferId, id))
      .orderBy(history.id);
    expect(rows.filter((r) => r.action === 'refused.screen.reject').map((r) => r.reason)).toEqual([
      'invalid',
      !late.ok ? late.refusal.code : '',
    ]);
  });

  it('cancels before submission and refuses to cancel after', async () => {
    const alice = await actor(database.db, 'alice');
    const bob = await actor(database.db, 'bob');
    const first = await requestTransfer(deps, alice, toBelgium(['SN:FOC0001']));
    if (!first.ok) throw new Error(first.refusal.message.key);
    const byOther = await cancelTransfer(deps, bob, first.value.state.id);
    expect(!byOther.ok && byOther.refusal.message.key).toBe('core:refusal.onlyRequester.cancel');
    const cancelled = await cancelTransfer(deps, alice, first.value.state.id);
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');

    const second = await requestTransfer(deps, alice, toBelgium(['SN:FOC0001']));
    if (!second.ok) throw new Error(second.refusal.message.key);
    await submitTransfer(deps, alice, second.value.state.id);
    const late = await cancelTransfer(deps, alice, second.value.state.id);
    // Too late, and who moved it on: Alice herself, as she submitted it.
    expect(!late.ok && late.refusal.message).toMatchObject({
      key: 'core:refusal.movedOnBy',
      params: { reasonKey: 'core:refusal.cancelTooLate', from: 'pending_submission', by: 'Alice Martin' },
    });
    const view = await loadTransferView(deps, second.value.state.id, alice);
    expect(view!.status).toBe('awaiting_consent');
    await consentTransfer(deps, bob, second.value.state.id, 'reject', 'not needed');
  });

  it('refuses ineligible and unknown references by name, creating nothing', async () => {
    const alice = await actor(database.db, 'alice');
    const before = await database.db.select().from(history).where(eq(history.action, 'request'));
    const result = await requestTransfer(
      deps,
      alice,
      toBelgium(['SO:101-1', 'SO:102-1', 'SN:FOC0003', 'SN:FOC0004', 'SO:999']),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.details?.map((d) => d.params?.ref)).toEqual([
      'SO:999',
      'SO:101-1',
      'SO:102-1',
      'SN:FOC0003',
      'SN:FOC0004',
    ]);
    expect(result.refusal.details?.map((d) => d.params?.reasonKey ?? d.key)).toEqual([
      'core:problem.refNotFound',
      'eligibility:reason.enterpriseAgreement',
      'eligibility:reason.pendingUpgrade',
      'eligibility:reason.ssmOnPrem',
      'eligibility:reason.onPremVa',
    ]);
    const after = await database.db.select().from(history).where(eq(history.action, 'request'));
    expect(after.length).toBe(before.length);
  });

  it('names the Virtual Account an asset is in when it is not in the chosen source one', async () => {
    const alice = await actor(database.db, 'alice');
    const fromLab = toBelgium(['SN:FOC0001', 'SO:100-2', 'SO:999'], {
      source: { smartAccount: 'fr-a.example', virtualAccount: 'Lab' },
    });
    const result = await requestTransfer(deps, alice, fromLab);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.details).toEqual([
      {
        key: 'core:problem.refInOtherVirtualAccount',
        params: {
          ref: 'SN:FOC0001',
          domain: 'fr-a.example',
          virtualAccount: 'DEFAULT',
          sourceVirtualAccount: 'Lab',
        },
      },
      {
        key: 'core:problem.refInOtherVirtualAccount',
        params: {
          ref: 'SO:100-2',
          domain: 'fr-a.example',
          virtualAccount: 'DEFAULT',
          sourceVirtualAccount: 'Lab',
        },
      },
      { key: 'core:problem.refNotFound', params: { ref: 'SO:999', domain: 'fr-a.example' } },
    ]);
    expect(tr('fr', result.refusal.details![0]!)).toBe(
      'SN:FOC0001\u00a0: dans le compte virtuel «\u00a0DEFAULT\u00a0» de fr-a.example, pas dans «\u00a0Lab\u00a0». ' +
        'Choisissez «\u00a0DEFAULT\u00a0» comme compte virtuel source, ou demandez-le séparément.',
    );
  });

  it('refuses a request from someone who is not admin of both accounts', async () => {
    const bob = await actor(database.db, 'bob');
    const result = await requestTransfer(deps, bob, toBelgium(['SO:100-2']));
    expect(!result.ok && result.refusal.message).toEqual({
      key: 'core:refusal.notAdminOfBoth',
      params: { accounts: 'fr-a.example' },
    });
  });

  it('refuses a transferee who does not administer the destination account, creating nothing', async () => {
    const alice = await actor(database.db, 'alice');
    const before = await database.db.select().from(history).where(eq(history.action, 'request'));
    // carol administers an account, only not this one; eve administers none; the third is nobody.
    for (const transferee of [EMAILS.carol, EMAILS.eve, 'nobody@be.example']) {
      const result = await requestTransfer(deps, alice, toBelgium(['SO:100-2'], { transferee }));
      expect(!result.ok && result.refusal.message).toEqual({
        key: 'core:refusal.transfereeNotAdmin',
        params: { email: transferee, domain: 'be.example' },
      });
    }
    const named = await requestTransfer(deps, alice, toBelgium(['SO:100-2'], { transferee: EMAILS.paul }));
    expect(named.ok && named.value.state.transfereeId).toBeGreaterThan(0);
    const after = await database.db.select().from(history).where(eq(history.action, 'request'));
    expect(after.length).toBe(before.length + 1);
    if (named.ok) await cancelTransfer(deps, alice, named.value.state.id);
  });

  it('treats a contradicted "same company" answer as another company and says so', async () => {
    const alice = await actor(database.db, 'alice');
    const result = await requestTransfer(deps, alice, toBelgium(['SO:100-2'], { sameCompany: true }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.state.sameLegalEntity).toBe(false);
    expect(result.value.warnings).toEqual([
      {
        key: 'core:warning.twoLegalEntities',
        params: { source: 'Lumière Réseaux SAS', destination: 'Lumière Réseaux Belgique SA' },
      },
    ]);
    await cancelTransfer(deps, alice, result.value.state.id);
  });

  it('on a contradicted "same company", asks only for what is missing, after saying why', async () => {
    const alice = await actor(database.db, 'alice');
    const result = await requestTransfer(
      deps,
      alice,
      toBelgium(['SO:100-2'], { sameCompany: true, justification: undefined, termsAccepted: undefined }),
    );
    expect(!result.ok && result.refusal.message.key).toBe('core:refusal.formIncomplete');
    expect(!result.ok && result.refusal.details?.map((d) => d.key)).toEqual([
      'core:warning.twoLegalEntities',
      'core:problem.missing.justification',
      'core:problem.missing.terms',
    ]);
  });

  it('takes "another company" between two sites of one legal entity as answered (SPEC §4.1), and says so', async () => {
    const alice = await actor(database.db, 'alice');
    // The form is asked, after the note: the answer stands, so the transferee's consent and compliance
    // screening would follow.
    const result = await requestTransfer(deps, alice, {
      ...toBelgium(['SO:100-2'], { sameCompany: false, transferee: undefined }),
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.message.key).toBe('core:refusal.formIncomplete');
    expect(result.refusal.details?.[0]).toEqual({
      key: 'core:warning.oneLegalEntity',
      params: { name: 'Lumière Réseaux SAS' },
    });
    expect(result.refusal.details?.map((d) => d.key)).toContain('core:problem.missing.transferee');
  });

  it('answers a non-admin the same whether the account or Virtual Account they name exists or not', async () => {
    const bob = await actor(database.db, 'bob');
    const answers = [];
    for (const source of [
      { smartAccount: 'fr-a.example' },
      { smartAccount: 'fr-a.example', virtualAccount: 'NOPE' },
      { smartAccount: 'nope.example' },
      { smartAccount: 'NOPE.example', virtualAccount: 'DEFAULT' },
    ]) {
      const result = await requestTransfer(deps, bob, { ...toBelgium(['SO:100-2']), source });
      answers.push(!result.ok && result.refusal.message);
    }
    expect(answers.slice(0, 2)).toEqual([
      { key: 'core:refusal.notAdminOfBoth', params: { accounts: 'fr-a.example' } },
      { key: 'core:refusal.notAdminOfBoth', params: { accounts: 'fr-a.example' } },
    ]);
    expect(answers.slice(2)).toEqual([
      { key: 'core:refusal.notAdminOfBoth', params: { accounts: 'nope.example' } },
      { key: 'core:refusal.notAdminOfBoth', params: { accounts: 'nope.example' } },
    ]);
    for (const smartAccount of ['fr-a.example', 'nope.example']) {
      const listed = await listAssets(deps, bob, { smartAccount }, 'licenses', undefined);
      expect(!listed.ok && listed.refusal).toEqual({
        code: 'forbidden',
        message: { key: 'core:refusal.notAdminOf', params: { domain: smartAccount } },
      });
    }
  });

  it('caps a justification and every reason at 2,000 characters, changing nothing when over', async () => {
    const [alice, bob] = await Promise.all([actor(database.db, 'alice'), actor(database.db, 'bob')]);
    const long = await requestTransfer(
      deps,
      alice,
      toBelgium(['SO:100-2'], { justification: 'é'.repeat(2001) }),
    );
    expect(!long.ok && long.refusal.message).toEqual({
      key: 'core:refusal.tooLong',
      params: { fieldKey: 'common:field.businessJustification', length: 2001, max: 2000 },
    });
    const requested = await requestTransfer(
      deps,
      alice,
      toBelgium(['SO:100-2'], { justification: 'é'.repeat(2000) }),
    );
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    await submitTransfer(deps, alice, id);
    const reject = await consentTransfer(deps, bob, id, 'reject', 'n'.repeat(2001));
    expect(!reject.ok && reject.refusal.message.params).toEqual({
      fieldKey: 'common:field.reason',
      length: 2001,
      max: 2000,
    });
    const view = await loadTransferView(deps, id, alice);
    expect(view!.status).toBe('awaiting_consent');
    const rejected = await consentTransfer(deps, bob, id, 'reject', 'n'.repeat(2000));
    expect(rejected.ok && rejected.value.status).toBe('cancelled');
  });

  it('completes with failure when an asset changed after validation, and licensing ops retry it', async () => {
    const [alice, bob, cora, olga] = await Promise.all([
      actor(database.db, 'alice'),
      actor(database.db, 'bob'),
      actor(database.db, 'cora'),
      actor(database.db, 'olga'),
    ]);
    const requested = await requestTransfer(deps, alice, toBelgium(['SO:100-2', 'SN:FOC0001']));
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    const id = requested.value.state.id;
    await submitTransfer(deps, alice, id);
    await consentTransfer(deps, bob, id, 'approve');
    // The license gets a pending upgrade while the transfer waits for compliance.
    await database.db.update(licenses).set({ pendingUpgrade: true }).where(eq(licenses.salesOrder, '100'));
    const screened = await screenTransfer(deps, cora, id, 'approve');
    expect(screened.ok && screened.value.status).toBe('transfer_completed_with_failure');
    let view = await loadTransferView(deps, id, olga);
    expect(view!.items.map((i) => [i.ref, i.result, i.reason?.key ?? null])).toEqual([
      ['SO:100-2', 'failed', 'eligibility:reason.pendingUpgrade'],
      ['SN:FOC0001', 'transferred', null],
    ]);
    expect(view!.actions).toContain('retry');

    const byAlice = await retryTransfer(deps, alice, id);
    expect(!byAlice.ok && byAlice.refusal.message.key).toBe('core:refusal.notLicensingOps');
    const stillBlocked = await retryTransfer(deps, olga, id);
    expect(stillBlocked.ok && stillBlocked.value.status).toBe('transfer_completed_with_failure');

    await database.db.update(licenses).set({ pendingUpgrade: false }).where(eq(licenses.salesOrder, '100'));
    const retried = await retryTransfer(deps, olga, id);
    expect(retried.ok && retried.value.status).toBe('transfer_completed');
    view = await loadTransferView(deps, id, olga);
    // Moved on retry: no reason is left from the try that failed.
    expect(view!.items.map((i) => [i.ref, i.result, i.reason?.key ?? null])).toEqual([
      ['SO:100-2', 'transferred', null],
      ['SN:FOC0001', 'transferred', null],
    ]);
  });
});

describe('a consenter who lost the admin role', () => {
  it('may no longer consent, and the transfer keeps waiting', async () => {
    const { database, deps } = await seededDatabase('pglite');
    try {
      const alice = await actor(database.db, 'alice');
      const requested = await requestTransfer(deps, alice, toBelgium(['SO:105-1']));
      if (!requested.ok) throw new Error(requested.refusal.message.key);
      await submitTransfer(deps, alice, requested.value.state.id);
      const bob = await actor(database.db, 'bob');
      await database.db.delete(roleGrants).where(eq(roleGrants.userId, bob.userId));
      const demoted = await actor(database.db, 'bob');
      const result = await consentTransfer(deps, demoted, requested.value.state.id, 'approve');
      expect(!result.ok && result.refusal.message.key).toBe('core:refusal.noLongerAdmin');
      const view = await loadTransferView(deps, requested.value.state.id, alice);
      expect(view!.status).toBe('awaiting_consent');
    } finally {
      await database.dispose();
    }
  });
});

describe('a transfer within one company that completes with failure', () => {
  it('tells the requester, on submitting, that some items failed and licensing operations can retry them', async () => {
    const { database, deps } = await seededDatabase('pglite');
    try {
      const alice = await actor(database.db, 'alice');
      const input = {
        ...toParis('SO:100-1'),
        assets: [...toParis('SO:100-1').assets, ...toParis('SN:FOC0001').assets],
      };
      const requested = await requestTransfer(deps, alice, input);
      if (!requested.ok) throw new Error(requested.refusal.message.key);
      await database.db.update(licenses).set({ pendingUpgrade: true }).where(eq(licenses.salesOrder, '100'));
      const reply = await dispatch(deps, alice, { type: 'submit', transactionId: requested.value.state.id });
      expect(reply.kind === 'transfer' && reply.view.status).toBe('transfer_completed_with_failure');
      const told = reply.kind === 'transfer' && reply.notice ? tr('en', reply.notice) : '';
      expect(told).toContain('some items could not be moved');
      expect(told).toContain('licensing operations can retry them');
      expect(told).not.toContain('nothing else was needed and the transfer has run.');
    } finally {
      await database.dispose();
    }
  });
  it('says that nothing moved when every item failed, and gives no completion date', async () => {
    const { database, deps } = await seededDatabase('pglite');
    try {
      const alice = await actor(database.db, 'alice');
      const requested = await requestTransfer(deps, alice, toParis('SO:100-1'));
      if (!requested.ok) throw new Error(requested.refusal.message.key);
      await database.db.update(licenses).set({ pendingUpgrade: true }).where(eq(licenses.salesOrder, '100'));
      const reply = await dispatch(deps, alice, { type: 'submit', transactionId: requested.value.state.id });
      expect(reply.kind === 'transfer' && reply.view.status).toBe('transfer_completed_with_failure');
      expect(reply.kind === 'transfer' && reply.view.completedAt).toBeNull();
      const told = reply.kind === 'transfer' && reply.notice ? tr('en', reply.notice) : '';
      expect(told).toContain('no item could be moved');
      expect(told).not.toContain('the transfer has run');
      expect(
        transferJson((await loadTransferView(deps, requested.value.state.id, alice))!).completedAt,
      ).toBeNull();
    } finally {
      await database.dispose();
    }
  });
});

describe('a transferor named on a partner’s request who lost the admin role', () => {
  it('is not replaced by others unasked for: the submission is refused saying so, nothing changes', async () => {
    const { database, deps } = await seededDatabase('pglite');
    try {
      const paul = await actor(database.db, 'paul');
      const carol = await actor(database.db, 'carol');
      const requested = await requestTransfer(
        deps,
        paul,
        toBelgium(['SO:105-1'], { transferor: EMAILS.carol }),
      );
      if (!requested.ok) throw new Error(requested.refusal.message.key);
      const id = requested.value.state.id;
      await database.db.delete(roleGrants).where(eq(roleGrants.userId, carol.userId));
      const submitted = await submitTransfer(deps, paul, id);
      expect(!submitted.ok && submitted.refusal.message).toEqual({
        key: 'core:refusal.namedTransferorGone',
        params: { id, email: EMAILS.carol },
      });
      const view = await loadTransferView(deps, id, paul);
      expect(view!.status).toBe('pending_submission');
      expect(view!.consents).toEqual([]);
    } finally {
      await database.dispose();
    }
  });
});
