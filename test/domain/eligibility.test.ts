import { describe, expect, it } from 'vitest';
import { assetKey, checkEligibility, type EligibilityContext } from '../../src/domain/eligibility.js';
import type { DeviceAsset, LicenseAsset } from '../../src/domain/types.js';
import { device, eligibilityContext, license } from './fixtures.js';

/** The reason key when ineligible, or the list of warning/note keys (with params) when eligible. */
function verdict(e: ReturnType<typeof checkEligibility>) {
  return e.eligible ? { eligible: true, notes: e.warnings } : { eligible: false, reason: e.reason };
}

describe('eligibility: one rule at a time', () => {
  it('a plain license and a plain device are eligible with nothing to say', () => {
    expect(verdict(checkEligibility(license(), eligibilityContext()))).toEqual({ eligible: true, notes: [] });
    expect(verdict(checkEligibility(device(), eligibilityContext()))).toEqual({ eligible: true, notes: [] });
  });

  it('an asset outside the source Smart Account is ineligible', () => {
    for (const asset of [license({ smartAccountId: 2 }), device({ smartAccountId: 2 })]) {
      expect(verdict(checkEligibility(asset, eligibilityContext()))).toEqual({
        eligible: false,
        reason: { key: 'eligibility:reason.notInSource' },
      });
    }
  });

  it('an asset outside the chosen source Virtual Account is ineligible; without a chosen VA any VA of the SA will do', () => {
    const chosen = eligibilityContext({ sourceVirtualAccountId: 12 });
    expect(verdict(checkEligibility(license(), chosen))).toEqual({
      eligible: false,
      reason: { key: 'eligibility:reason.notInSourceVa' },
    });
    expect(verdict(checkEligibility(device(), chosen))).toEqual({
      eligible: false,
      reason: { key: 'eligibility:reason.notInSourceVa' },
    });
    expect(checkEligibility(license({ virtualAccountId: 12 }), chosen).eligible).toBe(true);
    expect(checkEligibility(license({ virtualAccountId: 12 }), eligibilityContext()).eligible).toBe(true);
  });

  it('a license bought under an Enterprise Agreement is ineligible', () => {
    expect(
      verdict(checkEligibility(license({ purchaseModel: 'enterprise_agreement' }), eligibilityContext())),
    ).toEqual({
      eligible: false,
      reason: { key: 'eligibility:reason.enterpriseAgreement' },
    });
  });

  it('a device registered to SSM On-Prem is ineligible', () => {
    expect(verdict(checkEligibility(device({ registration: 'ssm_onprem' }), eligibilityContext()))).toEqual({
      eligible: false,
      reason: { key: 'eligibility:reason.ssmOnPrem' },
    });
  });

  it('a device held in an On-Prem Virtual Account is ineligible, but a license there is not blocked by it', () => {
    expect(verdict(checkEligibility(device({ virtualAccountId: 11 }), eligibilityContext()))).toEqual({
      eligible: false,
      reason: { key: 'eligibility:reason.onPremVa' },
    });
    // The On-Prem rule names devices; licenses and devices are independent.
    expect(checkEligibility(license({ virtualAccountId: 11 }), eligibilityContext()).eligible).toBe(true);
  });

  it('a license with a pending upgrade is ineligible until the upgrade is finished', () => {
    expect(verdict(checkEligibility(license({ pendingUpgrade: true }), eligibilityContext()))).toEqual({
      eligible: false,
      reason: { key: 'eligibility:reason.pendingUpgrade' },
    });
  });

  it('an asset in another open transaction is ineligible, naming that transaction', () => {
    for (const asset of [license(), device()]) {
      expect(verdict(checkEligibility(asset, eligibilityContext({ heldBy: 'AT-7F3K9QJ2' })))).toEqual({
        eligible: false,
        reason: { key: 'eligibility:reason.inOpenTransaction', params: { id: 'AT-7F3K9QJ2' } },
      });
    }
  });

  it('a license in use stays eligible with a warning that counts the devices', () => {
    expect(verdict(checkEligibility(license({ inUse: 4 }), eligibilityContext()))).toEqual({
      eligible: true,
      notes: [{ key: 'eligibility:warning.inUse', params: { count: 4 } }],
    });
  });

  it('a reserved (SLR) license stays eligible with a note', () => {
    expect(verdict(checkEligibility(license({ reserved: true }), eligibilityContext()))).toEqual({
      eligible: true,
      notes: [{ key: 'eligibility:note.reserved' }],
    });
  });

  it('a device registered through CSLU stays eligible with a note', () => {
    expect(verdict(checkEligibility(device({ registration: 'cslu' }), eligibilityContext()))).toEqual({
      eligible: true,
      notes: [{ key: 'eligibility:note.cslu' }],
    });
  });

  it('a license both in use and reserved carries both, the warning first', () => {
    const e = checkEligibility(license({ inUse: 1, reserved: true }), eligibilityContext());
    expect(e.eligible && e.warnings.map((w) => w.key)).toEqual([
      'eligibility:warning.inUse',
      'eligibility:note.reserved',
    ]);
  });

  it('license and device asset keys never collide, so the open-transaction index tells them apart', () => {
    expect(assetKey(license({ id: 5 }))).not.toBe(assetKey(device({ id: 5 })));
  });
});

describe('eligibility: which reason wins when several apply', () => {
  /** Each case adds one more reason; the expected key is the one the user reads. */
  const licenseCases: [string, Partial<LicenseAsset>, Partial<EligibilityContext>, string][] = [
    ['open transaction alone', {}, { heldBy: 'AT-HELD0001' }, 'inOpenTransaction'],
    [
      'pending upgrade beats the open transaction',
      { pendingUpgrade: true },
      { heldBy: 'AT-HELD0001' },
      'pendingUpgrade',
    ],
    [
      'Enterprise Agreement beats pending upgrade',
      { pendingUpgrade: true, purchaseModel: 'enterprise_agreement' },
      { heldBy: 'AT-HELD0001' },
      'enterpriseAgreement',
    ],
    [
      'wrong VA beats every block',
      { pendingUpgrade: true, purchaseModel: 'enterprise_agreement' },
      { heldBy: 'AT-HELD0001', sourceVirtualAccountId: 12 },
      'notInSourceVa',
    ],
    [
      'wrong SA beats wrong VA',
      { smartAccountId: 2, pendingUpgrade: true, purchaseModel: 'enterprise_agreement' },
      { heldBy: 'AT-HELD0001', sourceVirtualAccountId: 12 },
      'notInSource',
    ],
  ];
  it.each(licenseCases)('license: %s', (_name, asset, context, reason) => {
    const e = checkEligibility(license(asset), eligibilityContext(context));
    expect(!e.eligible && e.reason.key).toBe(`eligibility:reason.${reason}`);
  });

  const deviceCases: [string, Partial<DeviceAsset>, Partial<EligibilityContext>, string][] = [
    [
      'On-Prem VA beats the open transaction',
      { virtualAccountId: 11 },
      { heldBy: 'AT-HELD0001' },
      'onPremVa',
    ],
    [
      'SSM On-Prem beats the On-Prem VA',
      { virtualAccountId: 11, registration: 'ssm_onprem' },
      { heldBy: 'AT-HELD0001' },
      'ssmOnPrem',
    ],
    [
      'wrong VA beats SSM On-Prem',
      { virtualAccountId: 11, registration: 'ssm_onprem' },
      { sourceVirtualAccountId: 10 },
      'notInSourceVa',
    ],
    [
      'wrong SA beats everything',
      { smartAccountId: 2, virtualAccountId: 11, registration: 'ssm_onprem' },
      { heldBy: 'AT-HELD0001' },
      'notInSource',
    ],
  ];
  it.each(deviceCases)('device: %s', (_name, asset, context, reason) => {
    const e = checkEligibility(device(asset), eligibilityContext(context));
    expect(!e.eligible && e.reason.key).toBe(`eligibility:reason.${reason}`);
  });

  it('warnings never rescue an ineligible asset, and are not reported with the reason', () => {
    const e = checkEligibility(
      license({ inUse: 3, reserved: true }),
      eligibilityContext({ heldBy: 'AT-HELD0001' }),
    );
    expect(e).toEqual({
      eligible: false,
      reason: { key: 'eligibility:reason.inOpenTransaction', params: { id: 'AT-HELD0001' } },
    });
    const cslu = checkEligibility(
      device({ registration: 'cslu', virtualAccountId: 11 }),
      eligibilityContext(),
    );
    expect(cslu).toEqual({ eligible: false, reason: { key: 'eligibility:reason.onPremVa' } });
  });
});
