import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import {
  cardClick,
  COMPLIANCE,
  deliverCard,
  requestAndSubmit,
  SLACK,
  text,
  where,
  useSlack,
} from './harness.js';

describe.each(surfaceDrivers)('the compliance channel in the language set for it (%s)', (driver) => {
  const h = useSlack(driver, { complianceLocale: 'fr' });

  it('posts the compliance card in French, and redraws it in French once a Japanese officer decides', async () => {
    const { id, card } = await requestAndSubmit(h);
    const approved = h.api.count();
    await h.interact(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', where(card)));
    await h.api.waitFor('chat.update', (c) => c.args.ts === where(card).ts, { since: approved });
    expect(await h.status(id)).toBe('compliance_screening');
    const complianceCard = await deliverCard(h, COMPLIANCE, id, 'compliance_approve', approved);
    const heading = translate('fr', 'common:field.items');
    expect(text(complianceCard)).toContain(heading);
    expect(text(complianceCard)).not.toContain(translate('en', 'common:field.items'));

    const since = h.api.count();
    await h.interact(cardClick(SLACK.cora.id, 'compliance_approve', id, 'compliance', where(complianceCard)));
    const redrawn = await h.api.waitFor('chat.update', (c) => c.args.ts === where(complianceCard).ts, {
      since,
    });
    expect(text(redrawn)).toContain(heading);
    expect(text(redrawn)).not.toContain(translate('ja', 'common:field.items'));
  });
});
