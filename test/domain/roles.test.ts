import { describe, expect, it } from 'vitest';
import { decideRoleChange, type RoleChangeState } from '../../src/domain/roles.js';
import type { Actor } from '../../src/domain/types.js';
import { tr } from '../../src/i18n/index.js';
import { people } from './fixtures.js';

const { alice, bob, cora, olga } = people;

/** Ada grants and takes away roles; she is the bot admin and administers nothing. */
const ada: Actor = {
  ...olga,
  userId: 9,
  email: 'ada@example.test',
  name: 'Ada',
  globalRoles: new Set(['bot_admin']),
};

const BOB = { id: bob.userId, name: 'Bob Peeters', email: bob.email };
const FR_A = { account: { domain: 'fr-a.example', name: 'Lumière Lyon' } };

const given = (
  state: Partial<RoleChangeState> & Pick<RoleChangeState, 'kind' | 'role'>,
): RoleChangeState => ({
  person: BOB,
  current: null,
  botAdmins: [ada.userId],
  ...state,
});

const en = (message: Parameters<typeof tr>[1]) => tr('en', message);

describe('granting and taking away roles', () => {
  it('is refused to anyone but a bot admin, whatever they hold, and says who may', () => {
    for (const actor of [alice, cora, olga]) {
      const decision = decideRoleChange(actor, given({ kind: 'grant', role: 'admin', ...FR_A }));
      expect(decision.ok).toBe(false);
      if (decision.ok) continue;
      expect(decision.refusal.code).toBe('forbidden');
      expect(en(decision.refusal.message)).toBe(
        'Only a bot admin can grant or take away roles. Nothing was changed.',
      );
      expect(tr('fr', decision.refusal.message)).toContain('administrateur du bot');
    }
  });

  it('gives a role on a Smart Account, naming the person, the role and the account in the reader’s language', () => {
    const decision = decideRoleChange(ada, given({ kind: 'grant', role: 'admin', ...FR_A }));
    expect(decision).toMatchObject({ ok: true, change: 'set', previous: null });
    if (!decision.ok || decision.change === 'none') throw new Error('expected a change');
    expect(en(decision.message)).toBe(
      'Bob Peeters (bob@example.test) now has the role “Smart Account admin” on Lumière Lyon (fr-a.example).',
    );
    expect(tr('fr', decision.message)).toContain('«\u00a0Administrateur du compte Smart\u00a0»');
    expect(tr('ja', decision.message)).toContain('「スマートアカウント管理者」');
    expect(en(decision.notice)).toBe(
      'Ada gave you the role “Smart Account admin” on Lumière Lyon (fr-a.example).',
    );
  });

  it('holds one role per Smart Account: a grant of the other one replaces it, and says so', () => {
    const decision = decideRoleChange(ada, given({ kind: 'grant', role: 'user', current: 'admin', ...FR_A }));
    expect(decision).toMatchObject({ ok: true, change: 'set', previous: 'admin' });
    if (!decision.ok) throw new Error('expected a change');
    expect(en(decision.message)).toContain(
      '“Smart Account user” on Lumière Lyon (fr-a.example), in place of “Smart Account admin”',
    );
  });

  it('changes nothing, saying so, for a role already held or one not held', () => {
    const already = decideRoleChange(
      ada,
      given({ kind: 'grant', role: 'compliance', current: 'compliance' }),
    );
    expect(already.ok && already.change).toBe('none');
    if (already.ok)
      expect(en(already.message)).toBe(
        'Bob Peeters (bob@example.test) already has the role “Compliance officer”; nothing was changed.',
      );
    const lacking = decideRoleChange(ada, given({ kind: 'revoke', role: 'admin', current: 'user', ...FR_A }));
    expect(lacking.ok && lacking.change).toBe('none');
    if (lacking.ok)
      expect(en(lacking.message)).toContain('does not have the role “Smart Account admin” on Lumière Lyon');
  });

  it('takes a global role away', () => {
    const decision = decideRoleChange(
      ada,
      given({ kind: 'revoke', role: 'licensing_ops', current: 'licensing_ops' }),
    );
    expect(decision).toMatchObject({ ok: true, change: 'remove', previous: 'licensing_ops' });
    if (decision.ok)
      expect(en(decision.message)).toBe(
        'Bob Peeters (bob@example.test) no longer has the role “Licensing operations”.',
      );
  });

  it('never takes away the last bot admin, from themselves or from the only other one', () => {
    const self = { id: ada.userId, name: 'Ada', email: ada.email };
    const own = decideRoleChange(
      ada,
      given({ kind: 'revoke', role: 'bot_admin', person: self, current: 'bot_admin' }),
    );
    expect(own.ok).toBe(false);
    if (!own.ok) expect(en(own.refusal.message)).toContain('Ada (ada@example.test) is the last bot admin');
    // Bob as the only bot admin left (Ada's role was taken away since she was read): he stays.
    const other = decideRoleChange(
      ada,
      given({ kind: 'revoke', role: 'bot_admin', current: 'bot_admin', botAdmins: [bob.userId] }),
    );
    expect(other.ok).toBe(false);
    // With two, either may go.
    const two = decideRoleChange(
      ada,
      given({
        kind: 'revoke',
        role: 'bot_admin',
        person: self,
        current: 'bot_admin',
        botAdmins: [ada.userId, bob.userId],
      }),
    );
    expect(two).toMatchObject({ ok: true, change: 'remove' });
  });
});
