import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decideCancel,
  decideConsent,
  decideExecution,
  decideExpiry,
  decideRetry,
  decideScreen,
  decideSubmit,
  decideValidation,
  type Outcome,
} from '../../src/domain/decide.js';
import { decideAnswerers } from '../../src/domain/answerers.js';
import { checkEligibility, type Eligibility } from '../../src/domain/eligibility.js';
import { checkNamedAccount, checkRequest } from '../../src/domain/permissions.js';
import { decideRoleChange, isAccountRole, ROLES } from '../../src/domain/roles.js';
import { STATUSES, type Status } from '../../src/domain/status.js';
import type { Actor, ConsentState, GlobalRole, TransferState } from '../../src/domain/types.js';
import { flatten, formBase, loadCatalogs } from '../../src/i18n/catalog.js';
import { formatDateTime, hasKey, LOCALES, msg, tr, type Msg } from '../../src/i18n/index.js';
import { device, eligibilityContext, license } from '../domain/fixtures.js';
import { sourceFiles } from '../support/source-files.js';

/**
 * Every message the pure core can produce — each refusal, cancel reason and eligibility verdict,
 * reached by running the decisions over every status, every kind of person and every kind of asset —
 * rendered in the three languages: each must read as words, with no key or placeholder showing.
 */

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const T0 = new Date('2026-11-23T08:00:00Z');
const DAY = 24 * 3600 * 1000;

function person(
  userId: number,
  adminOf: number[] = [],
  roles: GlobalRole[] = [],
  legalEntityId = 'fr',
): Actor {
  return {
    userId,
    email: `u${userId}@example.com`,
    name: `User ${userId}`,
    legalEntityId,
    adminOf: new Set(adminOf),
    globalRoles: new Set(roles),
    surface: 'console',
  };
}

const requester = person(1, [1, 2]);
const transferee = person(2, [2], [], 'be');
const stranger = person(3, [], [], 'partner');
const compliance = person(4, [], ['compliance'], 'vendor');
const ops = person(5, [], ['licensing_ops'], 'vendor');
const transferor = person(6, [1]);
// Named transferee at submission, no longer an admin of the destination since.
const formerAdmin = person(7, [], [], 'be');
// The requester, no longer an admin of the destination since the request.
const formerRequester = person(1, [1]);
const PEOPLE = [requester, transferee, stranger, compliance, ops, transferor, formerAdmin, formerRequester];

const consent = (
  role: ConsentState['role'],
  userId: number,
  decision: ConsentState['decision'] = null,
): ConsentState => ({
  role,
  userId,
  decision,
  decidedById: decision ? userId : null,
  decidedByName: decision ? `User ${userId}` : null,
  decidedAt: decision ? T0 : null,
  reason: decision === 'rejected' ? 'Not agreed' : null,
  mayAnswer: true,
  cannotAnswerSince: null,
  remindersSent: 0,
});

const CONSENT_VARIANTS: ConsentState[][] = [
  [],
  [consent('transferee', 2)],
  [consent('transferee', 2, 'approved')],
  [consent('transferee', 2, 'rejected')],
  [consent('transferee', 2, 'approved'), consent('transferor', 6)],
  [consent('transferee', 7)],
];

function transfer(status: Status, consents: ConsentState[], screened: boolean): TransferState {
  return {
    id: 'AT-7F3K9QJ2',
    status,
    version: 3,
    requesterId: 1,
    sourceSmartAccountId: 1,
    sourceVirtualAccountId: null,
    destinationSmartAccountId: 2,
    destinationVirtualAccountId: 20,
    sameLegalEntity: false,
    requestedByPartner: consents.length > 1,
    transfereeId: 2,
    consents,
    screenedById: screened ? 4 : null,
    screenedByName: screened ? 'User 4' : null,
    screenedAt: screened ? T0 : null,
    createdAt: T0,
    updatedAt: T0,
    completedAt: null,
  };
}

const VERDICTS: Eligibility[] = [
  checkEligibility(license(), eligibilityContext()),
  checkEligibility(license({ smartAccountId: 9 }), eligibilityContext()),
  checkEligibility(license({ virtualAccountId: 12 }), eligibilityContext({ sourceVirtualAccountId: 10 })),
  checkEligibility(license({ purchaseModel: 'enterprise_agreement' }), eligibilityContext()),
  checkEligibility(license({ pendingUpgrade: true }), eligibilityContext()),
  checkEligibility(license(), eligibilityContext({ heldBy: 'AT-2B3C4D5E' })),
  checkEligibility(license({ inUse: 1 }), eligibilityContext()),
  checkEligibility(license({ inUse: 4, reserved: true }), eligibilityContext()),
  checkEligibility(device({ registration: 'ssm_onprem' }), eligibilityContext()),
  checkEligibility(device({ virtualAccountId: 11 }), eligibilityContext()),
  checkEligibility(device({ registration: 'cslu' }), eligibilityContext()),
  // Retried, and already where the transfer takes it.
  checkEligibility(
    device({ smartAccountId: 2, virtualAccountId: 20 }),
    eligibilityContext({ destination: { smartAccountId: 2, virtualAccountId: 20 } }),
  ),
  { eligible: false, reason: msg('eligibility:reason.gone') },
];

function messagesOf(outcome: Outcome): Msg[] {
  if (!outcome.ok) return [outcome.refusal.message, ...(outcome.refusal.details ?? [])];
  const d = outcome.decision;
  return [
    ...d.steps.flatMap((s) => (s.reason ? [s.reason] : [])),
    ...(d.cancelReason ? [d.cancelReason] : []),
    ...(d.note ? [d.note] : []),
    ...(d.answerers?.awaited ?? []),
  ];
}

/** Runs every decision over every status, consent situation and person. */
function walkDomain(): Msg[] {
  const out: Msg[] = [];
  const checks = VERDICTS.map((eligibility, i) => ({ itemId: i + 1, eligibility }));
  const allIneligible = checks.filter((c) => !c.eligibility.eligible);
  for (const status of STATUSES) {
    for (const consents of CONSENT_VARIANTS) {
      for (const screened of [false, true]) {
        const t = transfer(status, consents, screened);
        out.push(
          ...messagesOf(decideValidation(t, checks)),
          ...messagesOf(decideValidation(t, allIneligible)),
        );
        out.push(...messagesOf(decideExecution(t, checks)));
        out.push(...messagesOf(decideExpiry(t, new Date(T0.getTime() + 40 * DAY), T0, 30 * DAY)));
        out.push(...messagesOf(decideExpiry(t, T0, T0, 30 * DAY)));
        for (const mayAnswer of [true, false])
          for (const cannotAnswerSince of [null, T0])
            for (const changed of [null, ...t.consents.map((c) => ({ userId: c.userId, by: 'Ada Admin' }))])
              for (const imported of [false, true]) {
                const asked = {
                  ...t,
                  consents: t.consents.map((c) => ({ ...c, mayAnswer, cannotAnswerSince })),
                };
                out.push(
                  ...messagesOf(decideAnswerers(asked, (userId) => `user ${userId}`, { changed, imported })),
                );
              }
        for (const actor of PEOPLE) {
          out.push(...messagesOf(decideSubmit(actor, t)), ...messagesOf(decideCancel(actor, t, null)));
          for (const choice of ['approve', 'reject'] as const) {
            out.push(...messagesOf(decideConsent(actor, t, choice, 'Not agreed with finance')));
            out.push(...messagesOf(decideConsent(actor, t, choice, null)));
            for (const reason of [null, '  ', 'Denied party match', 'x'.repeat(2001)])
              for (const seen of [null, 'theirs', 'channel'] as const)
                out.push(...messagesOf(decideScreen(actor, t, choice, reason, seen)));
          }
          out.push(...messagesOf(decideRetry(actor, t, checks)), ...messagesOf(decideRetry(actor, t, [])));
        }
      }
    }
  }
  // One of several asked can no longer answer while others still can: who is still awaited, a line a role.
  const asked = [
    consent('transferee', 2),
    consent('transferor', 6),
    consent('transferor', 9),
    consent('transferor', 10),
  ];
  for (const lost of asked) {
    const t = transfer(
      'awaiting_consent',
      asked.map((c) => ({ ...c, mayAnswer: c !== lost })),
      false,
    );
    for (const changed of [null, { userId: lost.userId, by: 'Ada Admin' }])
      for (const imported of [false, true])
        out.push(...messagesOf(decideAnswerers(t, (userId) => `user ${userId}`, { changed, imported })));
  }
  // A transfer whose record says who moved it on from each status it has left: by a person, or by the bot.
  for (const status of STATUSES)
    for (const byName of ['User 9', null]) {
      const t = {
        ...transfer(status, [consent('transferee', 2)], false),
        statusesLeft: STATUSES.filter((s) => s !== status).map((from) => ({ from, byName, at: T0 })),
      };
      out.push(
        ...messagesOf(decideValidation(t, checks)),
        ...messagesOf(decideExecution(t, checks)),
        ...messagesOf(decideSubmit(requester, t)),
        ...messagesOf(decideCancel(requester, t, null)),
        ...messagesOf(decideConsent(transferee, t, 'approve', null)),
        ...messagesOf(decideScreen(compliance, t, 'approve', null)),
        ...messagesOf(decideRetry(ops, t, checks)),
      );
    }
  const sa = (id: number) => ({ id, domain: `sa${id}.example`, name: `SA ${id}`, legalEntityId: 'fr' });
  const notAdmin = checkRequest(stranger, sa(1), sa(2));
  if (notAdmin) out.push(notAdmin.message);
  for (const actor of PEOPLE) {
    for (const named of [sa(1), 'nowhere.example']) {
      const hidden = checkNamedAccount(actor, named, () => false);
      if (hidden) out.push(hidden.message);
    }
  }
  // Every grant and revocation, of every role, whatever the person holds, by a bot admin and by anyone else.
  const botAdmin = person(8, [], ['bot_admin'], 'vendor');
  for (const actor of [botAdmin, stranger])
    for (const kind of ['grant', 'revoke'] as const)
      for (const role of ROLES) {
        const account = isAccountRole(role) ? { account: { domain: 'sa1.example', name: 'SA 1' } } : {};
        for (const current of [null, ...ROLES.filter((held) => isAccountRole(held) === isAccountRole(role))])
          for (const botAdmins of [[8], [8, 2]]) {
            const decision = decideRoleChange(actor, {
              kind,
              role,
              person: { id: 8, name: 'User 8', email: 'u8@example.com' },
              ...account,
              current,
              botAdmins,
            });
            if (!decision.ok) out.push(decision.refusal.message);
            else out.push(decision.message, ...(decision.change === 'none' ? [] : [decision.notice]));
          }
      }
  for (const v of VERDICTS) out.push(...(v.eligible ? v.warnings : [v.reason]));
  const unique = new Map(out.map((m) => [JSON.stringify(m), m]));
  return [...unique.values()];
}

const walked = walkDomain();

/**
 * The keys the source under `root` writes: each whole `'ns:path'` literal, and for a key built from a
 * value (`core:refusal.onlyRequester.${action}`) every English key under its fixed head. The compiler
 * already holds each to the catalogs; this only lists them, so the walk above can be held to reach all.
 */
function keysWrittenIn(root: string): Set<string> {
  const english: string[] = [];
  for (const [namespace, catalog] of Object.entries(loadCatalogs().en))
    for (const path of flatten(catalog).keys()) english.push(`${namespace}:${formBase(path)}`);
  const keys = new Set<string>();
  for (const file of sourceFiles([root])) {
    const source = readFileSync(file, 'utf8');
    for (const [, key, end] of source.matchAll(/['`]([a-z]+:[\w.]+)(['`]|\$\{)/g)) {
      if (end === '${') for (const known of english.filter((k) => k.startsWith(key!))) keys.add(known);
      else keys.add(key!);
    }
  }
  return keys;
}

describe('messages of the domain', () => {
  it('reaches every refusal, cancel reason and eligibility key written in src/domain', () => {
    const written = new Set(
      [...keysWrittenIn(join(ROOT, 'src/domain'))].filter((k) =>
        /^(core:(refusal|cancel|screening|answerers)\.|eligibility:)/.test(k),
      ),
    );
    const reached = new Set<string>(walked.map((m) => m.key));
    expect([...written].filter((k) => !reached.has(k)).sort()).toEqual([]);
    expect(written.size).toBeGreaterThan(25);
  });

  it.each(LOCALES)(
    'reads as words in %s: the key exists, nested labels resolved, every value filled',
    (locale) => {
      const problems: string[] = [];
      for (const m of walked) {
        const text = tr(locale, m);
        if (!hasKey(locale, m.key)) problems.push(`${m.key}: no ${locale} text`);
        if (/\$t\(|\{\{|(?:core|status|common|eligibility|export):[\w.]+/.test(text))
          problems.push(`${m.key} → ${text}`);
        if (locale !== 'en' && text === tr('en', m))
          problems.push(`${m.key}: same text as English (${text})`);
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('French and Japanese renderings', () => {
  const changed = msg('core:notify.statusChanged', { id: 'AT-7F3K9QJ2', status: 'compliance_screening' });
  const step = msg('core:notify.step', { from: 'pending_submission', to: 'submitted' });

  it('a status change names the status as the guides do', () => {
    // “est passée au statut”: the sentence agrees with « transaction » whatever the label's gender.
    expect(tr('fr', changed)).toBe(
      'La transaction AT-7F3K9QJ2 est passée au statut «\u00a0Contrôle de conformité\u00a0».',
    );
    expect(tr('ja', changed)).toBe(
      'トランザクション AT-7F3K9QJ2 のステータスが「コンプライアンス審査中」になりました。',
    );
    expect(tr('fr', step)).toBe('Envoi en attente → Envoyé');
    expect(tr('ja', step)).toBe('送信待ち → 送信済み');
    const awaiting = msg('core:notify.statusChanged', { id: 'AT-7F3K9QJ2', status: 'awaiting_consent' });
    expect(tr('fr', awaiting)).toContain('En attente du consentement du cédant/cessionnaire');
    expect(tr('ja', awaiting)).toContain('譲渡人/譲受人の同意待ち');
    const failed = msg('core:notify.statusChanged', {
      id: 'AT-7F3K9QJ2',
      status: 'transfer_completed_with_failure',
    });
    expect(tr('fr', failed)).toContain('«\u00a0Transfert terminé avec échec\u00a0»');
  });

  it('an eligibility reason and a refused reference speak of the same things in each language', () => {
    const ea = msg('eligibility:reason.enterpriseAgreement');
    expect(tr('fr', ea)).toContain('accord d’entreprise');
    expect(tr('ja', ea)).toContain('EA（Enterprise Agreement）');
    const refused = msg('core:problem.ineligible', {
      ref: 'SN:FOC0003',
      reasonKey: 'eligibility:reason.ssmOnPrem',
    });
    expect(tr('fr', refused)).toBe(
      'SN:FOC0003\u00a0: enregistré sur SSM On-Prem\u00a0: il ne peut pas être transféré.',
    );
    expect(tr('ja', refused)).toBe('SN:FOC0003：SSMオンプレミスに登録された機器のため転送できません。');
    const onPremVa = msg('eligibility:reason.onPremVa');
    expect(tr('fr', onPremVa)).toContain('compte virtuel');
    expect(tr('ja', onPremVa)).toContain('バーチャルアカウント');
  });

  it('counts devices in use in proper plurals', () => {
    const one = msg('eligibility:warning.inUse', { count: 1 });
    const four = msg('eligibility:warning.inUse', { count: 4 });
    expect(tr('en', one)).toBe(
      'in use on 1 device: that device will be out of compliance after the transfer.',
    );
    expect(tr('en', four)).toContain('in use on 4 devices');
    expect(tr('fr', one)).toContain('1 périphérique\u00a0: ce périphérique ne sera plus conforme');
    expect(tr('fr', four)).toContain('4 périphériques\u00a0: ces périphériques ne seront plus conformes');
    expect(tr('ja', four)).toContain('4台のデバイスで使用中');
    // Japanese has one form for every count: the sentence must hold for a single device too.
    expect(tr('ja', one)).toContain('1台のデバイスで使用中');
    expect(tr('ja', one)).not.toContain('これら');
  });

  it('a rejected consent names the person by role, cédant/cessionnaire and 譲渡人/譲受人', () => {
    const rejected = msg('core:cancel.consentRejected', {
      name: 'Bob Peeters',
      role: 'transferee',
      reason: 'Pas maintenant',
    });
    // The guide's verb (« rejeter la demande »), the role as a common noun inside the sentence.
    expect(tr('fr', rejected)).toBe('Bob Peeters (cessionnaire) a rejeté la demande\u00a0: Pas maintenant');
    expect(tr('ja', { ...rejected, params: { ...rejected.params, role: 'transferor' } })).toBe(
      '譲渡人（転送元）の Bob Peeters さんがリクエストを却下しました：Pas maintenant',
    );
  });

  it('a decision agrees with what was decided on', () => {
    const already = (decision: string) =>
      msg('core:refusal.alreadyDecided', {
        id: 'AT-7F3K9QJ2',
        decision,
        by: 'Bob',
        at: '2026-03-03T14:05:00.000Z',
      });
    const paris = { locale: 'fr', timeZone: 'Europe/Paris' } as const;
    expect(tr(paris, already('approved'))).toBe(
      `La transaction AT-7F3K9QJ2 a déjà été approuvée par Bob le ${formatDateTime('2026-03-03T14:05:00.000Z', 'fr', 'Europe/Paris')}.`,
    );
    expect(tr(paris, already('approved'))).toContain('15:05');
    expect(tr({ locale: 'ja', timeZone: 'Asia/Tokyo' }, already('approved'))).toContain('23:05 JST');
    expect(tr('en', already('approved'))).toContain('on 3 Mar 2026, 14:05 UTC.');
    expect(tr(paris, already('rejected'))).toContain('a déjà été rejetée par Bob');
    // Next to « Consentement du cessionnaire » or « Contrôle de conformité »: masculine.
    const value = (decision: string) => msg('common:value.decided', { decision, by: 'Bob', at: '3 mars' });
    expect(tr('fr', value('approved'))).toBe('approuvé par Bob le 3 mars');
    expect(tr('fr', value('rejected'))).toBe('rejeté par Bob le 3 mars');
    expect(tr('en', value('rejected'))).toBe('rejected by Bob on 3 mars');
    expect(tr('ja', value('approved'))).toBe('3 mars に Bob さんが承認しました');
  });
});
