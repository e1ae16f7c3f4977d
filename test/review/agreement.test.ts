import { cohensKappa, krippendorffAlphaNominal } from '../../src/review/agreement';
import { deriveState } from '../../src/review/service';
import type { FlagRecord } from '../../src/store/models';

describe("Cohen's kappa", () => {
  it('matches the textbook example (20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → 0.4)', () => {
    const pairs: Array<[string, string]> = [
      ...Array.from({ length: 20 }, () => ['y', 'y'] as [string, string]),
      ...Array.from({ length: 5 }, () => ['y', 'n'] as [string, string]),
      ...Array.from({ length: 10 }, () => ['n', 'y'] as [string, string]),
      ...Array.from({ length: 15 }, () => ['n', 'n'] as [string, string]),
    ];
    expect(cohensKappa(pairs)).toBeCloseTo(0.4, 10);
  });
  it('is 1 for perfect agreement with variation, null without variation or items', () => {
    expect(cohensKappa([['a', 'a'], ['b', 'b']])).toBe(1);
    expect(cohensKappa([['a', 'a'], ['a', 'a']])).toBeNull();
    expect(cohensKappa([])).toBeNull();
  });
});

describe("Krippendorff's alpha (nominal)", () => {
  it("reproduces Krippendorff's worked example with missing values (α = 0.743)", () => {
    const units = [
      ['1', '1', '1'],
      ['2', '2', '3', '2'],
      ['3', '3', '3', '3'],
      ['3', '3', '3', '3'],
      ['2', '2', '2', '2'],
      ['1', '2', '3', '4'],
      ['4', '4', '4', '4'],
      ['1', '1', '2', '1'],
      ['2', '2', '2', '2'],
      ['5', '5', '5'],
      ['1', '1'],
      ['3'],
    ];
    expect(krippendorffAlphaNominal(units)!).toBeCloseTo(0.743, 3);
  });
  it('is 1 for perfect agreement and null when nothing is pairable', () => {
    expect(krippendorffAlphaNominal([['a', 'a'], ['b', 'b', 'b']])).toBe(1);
    expect(krippendorffAlphaNominal([['a'], ['b']])).toBeNull();
  });
});

describe('deriveState', () => {
  const flag = { category: 'DH.VERMIN', severity: 3, targets: [{ groupId: 'tarvani' }], status: 'in_review' } as unknown as FlagRecord;
  const r = (decision: string, round: number, modification?: object) => ({ decision, round, modification }) as never;
  it('waits for the second review, then confirms on agreement', () => {
    expect(deriveState(flag, [r('confirm', 1)], 2).status).toBe('awaiting_second');
    expect(deriveState(flag, [r('confirm', 1), r('confirm', 2)], 2)).toEqual({ status: 'confirmed', outcome: { category: 'DH.VERMIN', severity: 3, target: 'tarvani' } });
    expect(deriveState(flag, [r('reject', 1), r('reject', 2)], 2).status).toBe('rejected');
  });
  it('one confirmation suffices when the setting says 1', () => {
    expect(deriveState(flag, [r('confirm', 1)], 1).status).toBe('confirmed');
  });
  it('disputes on disagreement or different modifications; adjudication decides', () => {
    expect(deriveState(flag, [r('confirm', 1), r('reject', 2)], 2).status).toBe('disputed');
    expect(deriveState(flag, [r('modify', 1, { severity: 4 }), r('confirm', 2)], 2).status).toBe('disputed');
    expect(deriveState(flag, [r('confirm', 1), r('reject', 2), r('modify', 0, { severity: 2 })], 2)).toEqual({
      status: 'confirmed',
      outcome: { category: 'DH.VERMIN', severity: 2, target: 'tarvani' },
    });
  });
  it('an escalation is not one of the required reviews and does not end them', () => {
    expect(deriveState(flag, [r('escalate', 1)], 2).status).toBe('awaiting_second');
    expect(deriveState(flag, [r('escalate', 1)], 1).status).toBe('awaiting_second');
    expect(deriveState(flag, [r('escalate', 1), r('confirm', 2)], 2).status).toBe('awaiting_second');
    expect(deriveState(flag, [r('escalate', 1), r('escalate', 2), r('confirm', 3)], 2).status).toBe('awaiting_second');
    expect(deriveState(flag, [r('escalate', 1), r('confirm', 2), r('confirm', 3)], 2).status).toBe('confirmed');
    expect(deriveState(flag, [r('escalate', 1), r('confirm', 2), r('reject', 3)], 2).status).toBe('disputed');
    expect(deriveState(flag, [r('escalate', 1), r('confirm', 2), r('reject', 3), r('confirm', 0)], 2).status).toBe('confirmed');
  });
  it('agreeing modifications confirm with the modified reading', () => {
    expect(deriveState(flag, [r('modify', 1, { severity: 4 }), r('modify', 2, { severity: 4 })], 2).outcome).toEqual({ category: 'DH.VERMIN', severity: 4, target: 'tarvani' });
  });
});
