import { describe, expect, it } from 'vitest';
import { listParam, tr } from '../../src/i18n/index.js';
import {
  decideCancel,
  decideConsent,
  decideRetry,
  decideScreen,
  decideSubmit,
} from '../../src/domain/decide.js';
import {
  allowedActions,
  awaitsDecisionBy,
  canView,
  checkConsent,
  checkRequest,
  checkRetry,
  checkScreen,
  isPartnerFor,
  listScope,
  maySeeAssetsOf,
  type TransferAction,
} from '../../src/domain/permissions.js';
import { STATUSES, type Status } from '../../src/domain/status.js';
import type { Actor, SmartAccountRef } from '../../src/domain/types.js';
import { consentOf, eligible, people, SA, transferIn } from './fixtures.js';

const { alice, bob, carol, paul, cora, olga, eve, dave } = people;

const account = (id: number, domain: string, legalEntityId: string | null): SmartAccountRef => ({
  id,
  domain,
  name: domain,
  legalEntityId,
});
const frA = account(SA.frA, 'fr-a.example', 'fr');
const frB = account(SA.frB, 'fr-b.example', 'fr');
const be = account(SA.be, 'be.example', 'be');

/** An admin of the destination only, who is not the named transferee. */
const bea: Actor = { ...bob, userId: 9, name: 'Bea', email: 'bea@example.test' };
/** A bot admin: imports the inventory and grants roles, administers no account. */
const bart: Actor = { ...eve, userId: 10, name: 'Bart', globalRoles: new Set(['bot_admin']) };

describe('request: admin of both Smart Accounts', () => {
  it('lets an admin of both sides request', () => {
    expect(checkRequest(alice, frA, be)).toBeNull();
    expect(checkRequest(paul, frA, be)).toBeNull();
  });

  it('refuses an admin of one side, naming the account they lack', () => {
    expect(checkRequest(bob, frA, be)).toEqual({
      code: 'forbidden',
      message: { key: 'core:refusal.notAdminOfBoth', params: { accounts: 'fr-a.example' } },
    });
    expect(checkRequest(carol, frA, be)?.message.params).toEqual({ accounts: 'be.example' });
  });

  it('refuses someone who administers neither, naming both, and global roles do not help', () => {
    for (const who of [eve, cora, olga, dave]) {
      expect(checkRequest(who, frA, be)?.message.params, who.name).toEqual({
        accounts: listParam(['fr-a.example', 'be.example']),
      });
    }
    // Named as the reader's language lists them.
    const refusal = checkRequest(eve, frA, be)!.message;
    expect(tr('en', refusal)).toContain('You are not an admin of: fr-a.example and be.example.');
    expect(tr('ja', refusal)).toContain('管理者権限がないアカウント：fr-a.example、be.example');
  });
});

describe('partner detection', () => {
  it('a user from neither side’s legal entity is a partner', () => {
    expect(isPartnerFor(paul, frA, be)).toBe(true);
  });

  it('a user from the source’s or the destination’s legal entity is not', () => {
    expect(isPartnerFor(alice, frA, be)).toBe(false);
    expect(isPartnerFor(bob, frA, be)).toBe(false);
    expect(isPartnerFor(alice, frA, frB)).toBe(false);
  });

  it('nobody is a partner when a legal entity is unknown: there is nothing to compare', () => {
    expect(isPartnerFor({ ...paul, legalEntityId: null }, frA, be)).toBe(false);
    expect(isPartnerFor(paul, account(SA.frA, 'fr-a.example', null), be)).toBe(false);
    expect(isPartnerFor(paul, frA, account(SA.be, 'be.example', null))).toBe(false);
  });
});

describe('view: either side’s admins, the requester, the consenters, compliance, licensing operations', () => {
  const t = transferIn('awaiting_consent');
  it.each([
    ['the requester', alice, true],
    ['the transferee', bob, true],
    ['another admin of the source', carol, true],
    ['another admin of the destination', bea, true],
    ['compliance', cora, true],
    ['licensing operations', olga, true],
    ['an admin of an unrelated account', dave, false],
    ['nobody', eve, false],
  ] as const)('%s → %s', (_who, actor, expected) => {
    expect(canView(actor, t)).toBe(expected);
  });

  it('a consenter who administers neither side still sees what they are asked about', () => {
    const asked = transferIn('awaiting_consent', { consents: [consentOf('transferor', eve.userId)] });
    expect(canView(eve, asked)).toBe(true);
  });

  it('the requester keeps sight of their request after losing the admin role', () => {
    expect(canView({ ...alice, adminOf: new Set() }, t)).toBe(true);
  });

  it('those who may not see a transfer are told it does not exist, whatever they try', () => {
    const ps = transferIn('pending_submission');
    expect(decideSubmit(eve, ps)).toMatchObject({ ok: false, refusal: { code: 'not_found' } });
    expect(decideCancel(dave, ps, null)).toMatchObject({
      ok: false,
      refusal: { code: 'not_found', message: { key: 'core:refusal.notFound' } },
    });
    expect(decideConsent(eve, t, 'approve', null)).toMatchObject({
      ok: false,
      refusal: { code: 'not_found' },
    });
  });
});

describe('submit and cancel: the requester only', () => {
  it('refuses another admin who can see the transfer', () => {
    const ps = transferIn('pending_submission');
    expect(decideSubmit(carol, ps)).toMatchObject({
      ok: false,
      refusal: { code: 'forbidden', message: { key: 'core:refusal.onlyRequester.submit' } },
    });
    expect(decideCancel(bob, ps, null)).toMatchObject({
      ok: false,
      refusal: { code: 'forbidden', message: { key: 'core:refusal.onlyRequester.cancel' } },
    });
    expect(decideSubmit(cora, ps)).toMatchObject({
      ok: false,
      refusal: { message: { key: 'core:refusal.onlyRequester.submit' } },
    });
  });
});

describe('submit: the requester, still an admin of both accounts', () => {
  it('refuses a requester who lost the admin role of either side since the request; cancelling stays theirs', () => {
    const ps = transferIn('pending_submission');
    expect(decideSubmit(alice, ps)).toMatchObject({ ok: true });
    for (const lost of [SA.frA, SA.be]) {
      const former = { ...alice, adminOf: new Set([...alice.adminOf].filter((id) => id !== lost)) };
      expect(decideSubmit(former, ps)).toMatchObject({
        ok: false,
        refusal: { code: 'forbidden', message: { key: 'core:refusal.noLongerAdminToSubmit' } },
      });
      expect(decideCancel(former, ps, null)).toMatchObject({ ok: true });
      expect(allowedActions(former, ps, true)).not.toContain('submit');
    }
  });
});

describe('consent: only the named consenter, never on one’s own request', () => {
  const t = transferIn('awaiting_consent');

  it('the named transferee may consent', () => {
    expect(checkConsent(bob, t)).toEqual({ consent: t.consents[0] });
  });

  it('another admin of the destination, compliance and licensing operations may not', () => {
    for (const who of [bea, carol, cora, olga]) {
      const check = checkConsent(who, t);
      expect('refusal' in check && check.refusal.message.key, who.name).toBe('core:refusal.notConsenter');
    }
  });

  it('the requester may not consent to their own request, even if named', () => {
    const named = transferIn('awaiting_consent', { consents: [consentOf('transferor', alice.userId)] });
    const check = checkConsent(alice, named);
    expect('refusal' in check && check.refusal.message.key).toBe('core:refusal.ownRequest');
    expect(decideConsent(alice, named, 'approve', null)).toMatchObject({
      ok: false,
      refusal: { code: 'forbidden' },
    });
  });

  it('on a partner request the named transferor answers for their own role only', () => {
    const partner = transferIn('awaiting_consent', {
      requesterId: paul.userId,
      requestedByPartner: true,
      consents: [consentOf('transferee', bob.userId), consentOf('transferor', carol.userId)],
    });
    const outcome = decideConsent(carol, partner, 'approve', null);
    expect(outcome.ok && outcome.decision.consent?.role).toBe('transferor');
    expect(decideConsent(alice, partner, 'approve', null)).toMatchObject({
      ok: false,
      refusal: { message: { key: 'core:refusal.notConsenter' } },
    });
  });
});

describe('screening: compliance only, never on one’s own request', () => {
  const t = transferIn('compliance_screening');

  it('a compliance officer may screen', () => {
    expect(checkScreen(cora, t)).toBeNull();
  });

  it.each([
    ['the requester', alice],
    ['the transferee', bob],
    ['licensing operations', olga],
  ] as const)('%s may not', (_who, actor) => {
    expect(checkScreen(actor, t)?.message.key).toBe('core:refusal.notCompliance');
    expect(decideScreen(actor, t, 'approve', null)).toMatchObject({
      ok: false,
      refusal: { code: 'forbidden' },
    });
  });

  it('someone who may not see the transfer learns nothing of it, unless its card was posted to them', () => {
    expect(checkScreen(eve, t)?.message.key).toBe('core:refusal.notFound');
    expect(decideScreen(eve, t, 'approve', null)).toMatchObject({
      ok: false,
      refusal: { code: 'not_found' },
    });
    // One who was a compliance officer when its card was posted to them is told they no longer are.
    expect(checkScreen(eve, t, 'theirs')?.message.key).toBe('core:refusal.noLongerCompliance');
    // One who clicked the compliance channel's copy, in front of them, that only an officer screens it.
    expect(checkScreen(eve, t, 'channel')?.message.key).toBe('core:refusal.notCompliance');
    expect(checkScreen(cora, t, 'theirs')).toBeNull();
  });

  it('a compliance officer who requested the transfer may not screen it', () => {
    const own = transferIn('compliance_screening', { requesterId: cora.userId });
    expect(checkScreen(cora, own)?.message.key).toBe('core:refusal.ownRequest');
  });
});

describe('retry: licensing operations only', () => {
  const t = transferIn('transfer_completed_with_failure');
  it('licensing operations may retry; nobody else, not even compliance or the requester', () => {
    expect(checkRetry(olga, t)).toBeNull();
    for (const who of [alice, bob, cora, carol]) {
      expect(checkRetry(who, t)?.message.key, who.name).toBe('core:refusal.notLicensingOps');
      expect(decideRetry(who, t, [eligible(1)]).ok, who.name).toBe(false);
    }
  });
});

describe('allowedActions: exactly the buttons each viewer may press in each status', () => {
  const base: TransferAction[] = ['view', 'download'];
  const extra: Record<string, Partial<Record<Status, TransferAction[]>>> = {
    alice: {
      validation_initiated: ['cancel'],
      validation_completed: ['cancel'],
      pending_submission: ['submit', 'cancel'],
    },
    bob: { awaiting_consent: ['consent'] },
    carol: {},
    bea: {},
    cora: { compliance_screening: ['screen'] },
    olga: { transfer_completed_with_failure: ['retry'] },
  };
  const viewers: Record<string, Actor> = { alice, bob, carol, bea, cora, olga };
  const cells = Object.entries(extra).flatMap(([name, byStatus]) =>
    STATUSES.map((status) => ({ name, status, expected: [...base, ...(byStatus[status] ?? [])] })),
  );

  it.each(cells)('$name in $status', ({ name, status, expected }) => {
    const actions = allowedActions(viewers[name]!, transferIn(status), true);
    expect([...actions].sort()).toEqual([...expected].sort());
  });

  it('someone who may not view gets no button at all, in any status', () => {
    for (const status of STATUSES) {
      expect(allowedActions(eve, transferIn(status), true)).toEqual([]);
      expect(allowedActions(dave, transferIn(status), true)).toEqual([]);
    }
  });

  it('no retry button when nothing failed', () => {
    expect(allowedActions(olga, transferIn('transfer_completed_with_failure'), false)).not.toContain('retry');
  });

  it('no consent button once one’s own consent is given, while the other is still awaited', () => {
    const waiting = transferIn('awaiting_consent', {
      requesterId: paul.userId,
      requestedByPartner: true,
      consents: [consentOf('transferee', bob.userId, 'approved'), consentOf('transferor', carol.userId)],
    });
    expect(allowedActions(bob, waiting, false)).not.toContain('consent');
    expect(allowedActions(carol, waiting, false)).toContain('consent');
    expect(allowedActions(paul, waiting, false)).not.toContain('consent');
  });

  it('no screen button for a compliance officer on their own request', () => {
    expect(
      allowedActions(cora, transferIn('compliance_screening', { requesterId: cora.userId }), false),
    ).not.toContain('screen');
  });
});

describe('awaitsDecisionBy: the lists mark “View / Provide Consent” for whoever must decide now', () => {
  const partnerRequest = (consents: ReturnType<typeof consentOf>[]) =>
    transferIn('awaiting_consent', { requesterId: paul.userId, requestedByPartner: true, consents });

  it('the transferor on a partner’s request is awaited as much as the transferee', () => {
    const waiting = partnerRequest([
      consentOf('transferee', bob.userId),
      consentOf('transferor', carol.userId),
    ]);
    expect(awaitsDecisionBy(carol, waiting)).toBe(true);
    expect(awaitsDecisionBy(bob, waiting)).toBe(true);
    expect(awaitsDecisionBy(paul, waiting)).toBe(false);
    expect(awaitsDecisionBy(alice, waiting)).toBe(false);
  });

  it('no longer once one’s own consent is given', () => {
    const waiting = partnerRequest([
      consentOf('transferee', bob.userId),
      consentOf('transferor', carol.userId, 'approved'),
    ]);
    expect(awaitsDecisionBy(carol, waiting)).toBe(false);
    expect(awaitsDecisionBy(bob, waiting)).toBe(true);
  });

  it('compliance is awaited on screening, never on its own request, and nobody else is', () => {
    const screening = transferIn('compliance_screening');
    expect(awaitsDecisionBy(cora, screening)).toBe(true);
    expect(awaitsDecisionBy(cora, transferIn('compliance_screening', { requesterId: cora.userId }))).toBe(
      false,
    );
    for (const who of [alice, bob, carol, olga]) expect(awaitsDecisionBy(who, screening)).toBe(false);
  });

  it('nobody is awaited before submission or after the decisions', () => {
    for (const status of STATUSES.filter((s) => s !== 'awaiting_consent' && s !== 'compliance_screening')) {
      for (const who of [alice, bob, carol, cora, olga])
        expect(awaitsDecisionBy(who, transferIn(status))).toBe(false);
    }
  });
});

describe('what lists and searches show: the same people who may view', () => {
  it('compliance and licensing operations list every transfer; everyone else their accounts', () => {
    expect(listScope(cora)).toBe('all');
    expect(listScope(olga)).toBe('all');
    expect(listScope(alice)).toEqual([SA.frA, SA.frB, SA.be]);
    expect(listScope(eve)).toEqual([]);
  });

  it('a bot admin lists no more than anyone else, and no account’s assets', () => {
    expect(listScope(bart)).toEqual([]);
    expect(maySeeAssetsOf(bart, SA.frA)).toBe(false);
    // A bot admin who is also a compliance officer sees all, as a compliance officer does.
    const both: Actor = { ...bart, globalRoles: new Set(['bot_admin', 'compliance']) };
    expect(listScope(both)).toBe('all');
    expect(maySeeAssetsOf(both, SA.frA)).toBe(true);
  });

  it('a bot admin opens every transaction, in every status, and may only read it and download it', () => {
    for (const status of STATUSES) {
      const t = transferIn(status);
      expect(canView(bart, t)).toBe(true);
      expect(allowedActions(bart, t, true)).toEqual(['view', 'download']);
      expect(checkScreen(bart, t)).not.toBeNull();
      expect(checkRetry(bart, t)).not.toBeNull();
      expect(decideCancel(bart, t, null).ok).toBe(false);
      expect('refusal' in checkConsent(bart, t)).toBe(true);
    }
  });

  it('assets: an admin of the account, or whoever sees all accounts', () => {
    expect(maySeeAssetsOf(carol, SA.frA)).toBe(true);
    expect(maySeeAssetsOf(carol, SA.be)).toBe(false);
    expect(maySeeAssetsOf(olga, SA.be)).toBe(true);
  });
});
