import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { modelHashOf } from '../../common/market/job-format.ts';
import { builtinCatalog } from '../models/catalog.ts';
import {
  collateralWei,
  decideJob,
  DEFAULT_UNITS_PER_SECOND,
  electricityCostWei,
  estimateModelMemoryMiB,
  formatDuration,
  formatToken,
  type Decision,
  type DeviceView,
  type JobOffer,
  type PolicyContext,
} from './policy.ts';

const model = builtinCatalog[0]!; // ~10.3 MB: needs ceil(31 MiB) + 256 MiB
const E18 = 10n ** 18n;
const NOW = 1_700_000_000_000;

const gpu: DeviceView = { id: 'gpu0', kind: 'gpu', name: 'RTX 4090', vramMiB: 24_564, enabled: true, vramCapMiB: null, unitsPerSecond: 100, powerW: 300 };
const gpu8: DeviceView = { id: 'gpu1', kind: 'gpu', name: 'RTX 3070', vramMiB: 8_192, enabled: true, vramCapMiB: null, unitsPerSecond: 40, powerW: 200 };
const cpu: DeviceView = { id: 'cpu', kind: 'cpu', name: 'Ryzen 7', vramMiB: null, enabled: true, vramCapMiB: null, unitsPerSecond: 5, powerW: 65 };

function offer(over: Partial<JobOffer> = {}): JobOffer {
  return { classLabel: 'gpu-8gb', units: 1_000, maxPricePerUnitWei: E18 / 100n, deadlineMs: NOW + 3_600_000, modelHash: modelHashOf(model.sha256), inputUri: 'data:,{}', ...over };
}
function ctx(over: Partial<PolicyContext> = {}): PolicyContext {
  return {
    nowMs: NOW,
    catalog: builtinCatalog,
    devices: [gpu, gpu8, cpu],
    eligibleClasses: new Set(['gpu-8gb', 'gpu-24gb', 'cpu']),
    currentPriceWei: E18 / 1000n,
    minPricePerUnitWei: E18 / 10_000n,
    electricityPerKwhWei: null,
    feeBps: 250,
    marginSeconds: 60,
    ...over,
  };
}
function declined(d: Decision, code: string): string {
  assert.equal(d.accept, false, JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  assert.equal((d as { code: string }).code, code);
  return (d as { reason: string }).reason;
}

describe('decideJob', () => {
  it('accepts on the fastest device and computes gross and net pay', () => {
    const d = decideJob(offer(), ctx());
    assert.deepEqual(d, { accept: true, deviceId: 'gpu0', expectedRunMs: 10_000, grossWei: E18, netWei: E18 - E18 / 40n, electricityWei: null });
  });

  it('declines an unstaked class first', () => {
    const reason = declined(decideJob(offer({ classLabel: 'gpu-24gb', modelHash: '0x00' }), ctx({ eligibleClasses: new Set(['cpu']) })), 'not_eligible');
    assert.match(reason, /no stake in the gpu-24gb class/);
  });

  it('declines malformed units', () => {
    for (const units of [0, -1, 1.5, Number.NaN, 2 ** 60]) declined(decideJob(offer({ units }), ctx()), 'invalid_offer');
  });

  it('declines an unknown model, case-insensitively matching known ones', () => {
    assert.match(declined(decideJob(offer({ modelHash: `0x${'ab'.repeat(32)}` }), ctx()), 'model_unknown'), /0xabababab…abab/);
    assert.equal(decideJob(offer({ modelHash: modelHashOf(model.sha256).toUpperCase().replace('0X', '0x') }), ctx()).accept, true);
  });

  it('declines when no enabled device serves the class', () => {
    assert.match(declined(decideJob(offer({ classLabel: 'gpu-24gb' }), ctx({ devices: [gpu8, cpu, { ...gpu, enabled: false }] })), 'no_device'), /serves gpu-24gb/);
    // a 24 GB card serves 8 GB jobs; a CPU never serves GPU classes nor a GPU the CPU class
    assert.equal((decideJob(offer({ classLabel: 'gpu-8gb' }), ctx({ devices: [gpu] })) as { deviceId: string }).deviceId, 'gpu0');
    declined(decideJob(offer({ classLabel: 'gpu-8gb' }), ctx({ devices: [cpu] })), 'no_device');
    assert.equal((decideJob(offer({ classLabel: 'cpu' }), ctx({ devices: [gpu, cpu] })) as { deviceId: string }).deviceId, 'cpu');
    declined(decideJob(offer({ classLabel: 'cpu' }), ctx({ devices: [gpu] })), 'no_device');
  });

  it('declines when no device has the memory the model is estimated to need, respecting the user cap', () => {
    const need = estimateModelMemoryMiB(model);
    assert.equal(need, Math.ceil((model.sizeBytes * 3) / 1024 / 1024) + 256);
    const capped = { ...gpu8, vramCapMiB: need - 1 };
    assert.match(declined(decideJob(offer(), ctx({ devices: [capped] })), 'no_device'), new RegExp(`${need} MiB`));
    assert.equal(decideJob(offer(), ctx({ devices: [{ ...gpu8, vramCapMiB: need }] })).accept, true);
    const hugeModel = { ...model, sizeBytes: 10 * 1024 ** 3 }; // 30 GiB estimated: nothing holds it
    declined(decideJob(offer(), ctx({ catalog: [hugeModel] })), 'no_device');
    // a CPU has no VRAM figure: only its cap, when set, limits it
    assert.equal(decideJob(offer({ classLabel: 'cpu' }), ctx({ devices: [cpu], catalog: [hugeModel] })).accept, true);
    declined(decideJob(offer({ classLabel: 'cpu' }), ctx({ devices: [{ ...cpu, vramCapMiB: 1024 }], catalog: [hugeModel] })), 'no_device');
  });

  it('declines a price above the job maximum (the claim would revert) and below the minimum', () => {
    assert.match(
      declined(decideJob(offer({ maxPricePerUnitWei: E18 / 1000n - 1n }), ctx()), 'price_above_max'),
      /market price is 0\.001 HRTH per unit, above this job's maximum of 0\.000999999999999999; a claim would fail/,
    );
    assert.equal(decideJob(offer({ maxPricePerUnitWei: E18 / 1000n }), ctx()).accept, true); // exactly at the max
    const reason = declined(decideJob(offer(), ctx({ currentPriceWei: E18 / 10_000n, minPricePerUnitWei: E18 / 1000n })), 'below_minimum');
    assert.equal(reason, 'Pays 0.0001 HRTH per unit; your minimum is 0.001.');
    assert.equal(decideJob(offer(), ctx({ currentPriceWei: E18 / 1000n, minPricePerUnitWei: E18 / 1000n })).accept, true); // exactly at the minimum
    assert.match(declined(decideJob(offer(), ctx({ minPricePerUnitWei: E18, symbol: 'tHRTH' })), 'below_minimum'), /0\.001 tHRTH per unit; your minimum is 1\./);
  });

  it('declines an unreachable deadline, with the margin counted, exact at the boundary', () => {
    // gpu0: 1000 units at 100/s = 10 s; margin 60 s
    assert.equal(decideJob(offer({ deadlineMs: NOW + 70_000 }), ctx()).accept, true);
    const only = ctx({ devices: [gpu] });
    assert.match(declined(decideJob(offer({ deadlineMs: NOW + 69_999 }), only), 'deadline_unreachable'), /about 10 s on RTX 4090 plus 60 s of margin; the deadline is in 70 s/);
    assert.match(declined(decideJob(offer({ deadlineMs: NOW - 1 }), only), 'deadline_unreachable'), /deadline is past/);
  });

  it('assumes a conservative speed for a device never benchmarked', () => {
    const unmeasured = { ...gpu, unitsPerSecond: null };
    const d = decideJob(offer(), ctx({ devices: [unmeasured] }));
    assert.equal((d as { expectedRunMs: number }).expectedRunMs, (1_000 / DEFAULT_UNITS_PER_SECOND.gpu) * 1000);
    declined(decideJob(offer({ deadlineMs: NOW + 100_000 }), ctx({ devices: [unmeasured] })), 'deadline_unreachable');
    const zero = decideJob(offer({ classLabel: 'cpu', units: 10_000 }), ctx({ devices: [{ ...cpu, unitsPerSecond: 0 }], marginSeconds: 0 }));
    assert.equal(zero.accept, false); // 10,000 units at the CPU default of 1 unit/s: past the one-hour deadline
  });

  it('prefers a GPU on a tie and falls back to a slower device that still makes the deadline when the fastest is unprofitable', () => {
    const tieCpu = { ...cpu, unitsPerSecond: 40 };
    const tieGpu = { ...gpu8, unitsPerSecond: 40 };
    assert.equal((decideJob(offer({ classLabel: 'cpu' }), ctx({ devices: [tieCpu, { ...tieGpu, vramMiB: 4096 }] })) as { deviceId: string }).deviceId, 'gpu1');
    // gpu0 draws a lot, gpu8 little: the expensive fastest one is skipped
    const hungry = { ...gpu, powerW: 1_000_000 };
    const d = decideJob(offer(), ctx({ devices: [hungry, gpu8], electricityPerKwhWei: E18 }));
    assert.equal((d as { deviceId: string }).deviceId, 'gpu1');
  });

  it('declines when electricity costs at least the net pay, exact at equality', () => {
    // gpu0: 300 W × 10 s = 3000 W·s = 1/1200 kWh. Net pay 0.975 HRTH. Price per kWh p: cost = p/1200.
    const only = ctx({ devices: [gpu] });
    const net = E18 - E18 / 40n;
    const equalPrice = net * 1200n; // cost == net exactly
    assert.match(declined(decideJob(offer(), { ...only, electricityPerKwhWei: equalPrice }), 'unprofitable'), /about 0\.975 HRTH, not less than the 0\.975 it pays after fees/);
    const ok = decideJob(offer(), { ...only, electricityPerKwhWei: equalPrice - 1200n });
    assert.equal(ok.accept, true);
    assert.equal((ok as { electricityWei: bigint }).electricityWei, net - 1n);
    // unknown power: no electricity check
    assert.equal(decideJob(offer(), ctx({ devices: [{ ...gpu, powerW: null }], electricityPerKwhWei: E18 * 10n ** 9n })).accept, true);
  });

  it('handles huge units and prices without overflow or float loss', () => {
    const units = 2 ** 32 - 1;
    const price = 2n ** 96n - 1n;
    const d = decideJob(
      offer({ units, maxPricePerUnitWei: price, deadlineMs: NOW + 10 ** 12 }),
      ctx({ currentPriceWei: price, minPricePerUnitWei: price - 1n, devices: [{ ...gpu, unitsPerSecond: 1e6 }], electricityPerKwhWei: 2n ** 96n, feeBps: 1 }),
    );
    assert.ok(d.accept);
    const a = d;
    assert.equal(a.grossWei, price * BigInt(units));
    assert.equal(a.netWei, a.grossWei - (a.grossWei * 1n) / 10_000n);
    assert.equal(a.expectedRunMs, Math.ceil((units * 1000) / 1e6));
    // 300 W × 4294968 ms × 2^96 / 3.6e12, rounded up
    const exact = 300_000n * 4_294_968n * 2n ** 96n;
    assert.equal(a.electricityWei, (exact + 3_600_000_000_000n - 1n) / 3_600_000_000_000n);
  });

  it('formats amounts and durations for people', () => {
    assert.equal(formatToken(0n), '0');
    assert.equal(formatToken(1n), '0.000000000000000001');
    assert.equal(formatToken(E18 * 12n + E18 / 2n, 'HRTH'), '12.5 HRTH');
    assert.equal(formatToken(2n ** 96n), '79228162514.264337593543950336');
    assert.equal(formatDuration(10_000), '10 s');
    assert.equal(formatDuration(600_000), '10 min');
    assert.equal(formatDuration(3 * 3_600_000), '3 h');
    assert.equal(formatDuration(72 * 3_600_000), '3 days');
    assert.equal(electricityCostWei(null, 1, 1n), null);
  });

  it('property: an accepted job pays at least the minimum, finishes before the deadline and earns more than its electricity', () => {
    const device = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd'),
      kind: fc.constantFrom<'gpu' | 'cpu'>('gpu', 'cpu'),
      name: fc.constant('dev'),
      vramMiB: fc.option(fc.integer({ min: 0, max: 49_152 }), { nil: null }),
      enabled: fc.oneof(fc.constant(true), fc.boolean()),
      vramCapMiB: fc.option(fc.integer({ min: 0, max: 49_152 }), { nil: null }),
      unitsPerSecond: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
      powerW: fc.option(fc.double({ min: 0, max: 2_000, noNaN: true }), { nil: null }),
    });
    const wei = fc.bigInt({ min: 0n, max: 2n ** 96n });
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 2 ** 32 - 1 })),
        // prices: often ordered min ≤ current ≤ max so that accepts are common, sometimes anything
        fc.oneof(
          fc.tuple(wei, wei, wei),
          fc.tuple(wei, wei, wei).map(([a, b, c]) => [a + b, a, a - (c % (a + 1n))] as [bigint, bigint, bigint]),
        ),
        fc.option(fc.oneof(wei, fc.bigInt({ min: 0n, max: 10n ** 20n })), { nil: null }),
        fc.integer({ min: 0, max: 10 ** 10 }),
        fc.array(device, { maxLength: 4 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 3_600 }),
        fc.constantFrom('gpu-8gb', 'gpu-24gb', 'cpu'),
        (units, [maxPrice, current, minimum], perKwh, deadlineIn, devices, feeBps, margin, classLabel) => {
          const c = ctx({ devices, currentPriceWei: current, minPricePerUnitWei: minimum, electricityPerKwhWei: perKwh, feeBps, marginSeconds: margin });
          const o = offer({ units, maxPricePerUnitWei: maxPrice, deadlineMs: NOW + deadlineIn, classLabel });
          const d = decideJob(o, c);
          if (!d.accept) {
            assert.ok(d.reason.length > 0 && d.reason.length < 300);
            return;
          }
          accepted++;
          assert.ok(current >= minimum && current <= maxPrice);
          assert.equal(d.grossWei, current * BigInt(units));
          assert.ok(d.netWei >= 0n && d.netWei <= d.grossWei);
          assert.ok(NOW + d.expectedRunMs + margin * 1000 <= o.deadlineMs);
          if (d.electricityWei !== null) assert.ok(d.electricityWei < d.netWei);
          const dev = devices.find((x) => x.id === d.deviceId && x.enabled);
          assert.ok(dev);
        },
      ),
      { numRuns: 2_000 },
    );
    assert.ok(accepted > 20, `only ${accepted} accepted: the property is nearly vacuous`);
  });
});

describe('collateral', () => {
  const rule = { missPenaltyWei: 10n * E18, collateralBps: 15_000 };
  it('declines a job whose collateral the free stake does not cover, saying how much is needed and free', () => {
    // 1000 units × 0.001 = 1 token of value; 150 % is 1.5 tokens, under the 10-token penalty floor.
    const reason = declined(
      decideJob(offer(), ctx({ collateral: { ...rule, freeStakeWei: 9n * E18, lockedWei: 91n * E18 } })),
      'collateral_short',
    );
    assert.match(reason, /locks 10 HRTH of stake as collateral; 9 HRTH of your gpu-8gb stake is free \(91 HRTH is held by jobs in progress\)/);
    assert.equal(decideJob(offer(), ctx({ collateral: { ...rule, freeStakeWei: 10n * E18, lockedWei: 0n } })).accept, true);
  });

  it('needs the larger of the penalty and the share of the job value, rounded up to 1 gwei', () => {
    assert.equal(collateralWei(1_000, E18 / 1000n, rule.missPenaltyWei, rule.collateralBps), 10n * E18);
    // 100 000 units × 0.001 = 100 tokens → 150 tokens
    assert.equal(collateralWei(100_000, E18 / 1000n, rule.missPenaltyWei, rule.collateralBps), 150n * E18);
    // value × bps rounds up to the wei, then to the gwei
    assert.equal(collateralWei(1, 1n, 0n, 15_000), 10n ** 9n);
    assert.equal(collateralWei(3, 10n ** 9n + 1n, 0n, 10_000), 3n * 10n ** 9n + 10n ** 9n);
  });
});
