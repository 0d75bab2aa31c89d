// Realistic Earn page data for component tests and the screenshot preview: plain values
// that pass the positions contract's schemas; each builder takes overrides.
import type { PositionAction, PositionPreview, PositionSample, PositionsView } from '../../../common/ipc/groups/positions.ts';
import { ADDRESS, NOW, tokens } from './market-fixtures.ts';

export { ADDRESS, NOW, tokens };
export const VAULT = '0x0165878A594ca255338adfa4d48449f69242Eb8F';
export const POOL = '0xa513E6E4b8f2a923D98304ec87F64353C4D5C853';
export const PAIR = '0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6';
export const ROUTER = '0x8A791620dd6260079BF849Dc5567aDC3F2FdC318';

export function positionsView(over: Partial<PositionsView> = {}): PositionsView {
  return {
    address: ADDRESS,
    chainId: 31337,
    block: 4512,
    at: NOW,
    tokenSymbol: 'HRTH',
    nativeSymbol: 'ETH',
    tokenBalanceWei: tokens('812.5'),
    nativeBalanceWei: tokens('9.9712'),
    // 1 HRTH = 0.0025 ETH
    priceEthPerToken: tokens('0.0025'),
    staking: {
      registered: true,
      classes: [
        { classLabel: 'gpu-8gb', classId: '0x' + 'a1'.repeat(32), activeWei: tokens('150'), lockedWei: tokens('12.5'), unbondingWei: tokens('20'), releaseAt: NOW + 6 * 86_400_000 + 3 * 3_600_000, minStakeWei: tokens('100') },
        { classLabel: 'cpu', classId: '0x' + 'b2'.repeat(32), activeWei: '0', lockedWei: '0', unbondingWei: '0', releaseAt: null, minStakeWei: tokens('20') },
      ],
      totalWei: tokens('170'),
      rewardsWei: tokens('3.21875'),
      slashedWei: tokens('1.5'),
      slashes: 1,
      unbondingDelaySeconds: 7 * 86_400,
      valueEthWei: tokens('0.425'),
    },
    lending: {
      vault: VAULT,
      shares: tokens('198.1'),
      suppliedWei: tokens('200.123456789'),
      borrowedWei: tokens('60'),
      totalAssetsWei: tokens('5400'),
      totalBorrowedWei: tokens('2970'),
      utilization: 0.55,
      borrowApr: 0.0842,
      supplyApr: 0.0417,
      healthFactor: 1.84,
      liquidationStakeWei: tokens('81.5'),
      borrowableWei: tokens('24.4'),
      autoRepayBps: 2500,
      liquidationThresholdBps: 8000,
      liquidationBonusBps: 500,
      valueEthWei: tokens('0.500308641972500000'),
    },
    feePool: {
      pool: POOL,
      // 24-decimal shares, as the pool's (18 + an offset of 6).
      shares: `${tokens('95.2')}000000`,
      shareDecimals: 24,
      valueWei: tokens('100.75'),
      totalAssetsWei: tokens('2300'),
      apy: 0.0634,
      apyBasis: 'From 4.12 HRTH of fees paid into the pool over the last 7 days, on a pool of 2,300 HRTH.',
      feesInWindowWei: tokens('4.12'),
      windowSeconds: 7 * 86_400,
      valueEthWei: tokens('0.251875'),
    },
    liquidity: {
      pair: PAIR,
      router: ROUTER,
      lpBalance: tokens('7.0710678'),
      lpTotalSupply: tokens('70.710678'),
      share: 0.1,
      tokenWei: tokens('100'),
      ethWei: tokens('0.25'),
      reserveTokenWei: tokens('1000'),
      reserveEthWei: tokens('2.5'),
      feesEthWei: tokens('0.0031'),
      valueEthWei: tokens('0.5'),
      holdValueEthWei: tokens('0.5042'),
    },
    totalTokenWei: tokens('1483.373456789'),
    totalEthWei: tokens('3.708433642'),
    missing: [],
    ...over,
  };
}

/** Only staking: no vault, pool or pair in the addresses file. */
export function stakingOnlyView(): PositionsView {
  return positionsView({
    lending: null,
    feePool: null,
    liquidity: null,
    priceEthPerToken: null,
    totalEthWei: null,
    missing: [
      { kind: 'lending', reason: 'This network has no lending vault in its addresses file.' },
      { kind: 'feePool', reason: 'This network has no fee pool in its addresses file.' },
      { kind: 'liquidity', reason: 'This network has no HRTH/ETH pair, so there is no price in ETH either.' },
    ],
  });
}

/** No wallet: nothing to show at all. */
export function noWalletView(): PositionsView {
  return positionsView({
    address: null,
    block: null,
    tokenBalanceWei: '0',
    nativeBalanceWei: '0',
    staking: null,
    lending: null,
    feePool: null,
    liquidity: null,
    totalTokenWei: '0',
    totalEthWei: null,
    missing: [{ kind: 'all', reason: 'There is no wallet yet: create or import one on the Wallet page.' }],
  });
}

export function preview(action: PositionAction, over: Partial<PositionPreview> = {}): PositionPreview {
  return {
    action,
    steps: ['Allow the vault to take 50 HRTH (approve)', 'Deposit 50 HRTH into the lending vault'],
    estimatedGasWei: '143210000000000',
    maxGasWei: '286420000000000',
    changes: [
      { label: 'Supplied', before: '200.1234 HRTH', after: '250.1234 HRTH' },
      { label: 'Wallet', before: '812.5 HRTH', after: '762.5 HRTH' },
    ],
    minimumReceived: null,
    risks: ['Borrowers pay the interest you earn; if many borrow at once you may have to wait for repayments before you can take everything out.'],
    problem: null,
    ...over,
  };
}

/** 30 days of samples, one a day, growing slowly with a dip from a slash. */
export function history(days = 30): PositionSample[] {
  return Array.from({ length: days }, (_, i) => {
    const t = (n: number) => tokens(n.toFixed(4));
    const staking = t(120 + Math.min(i, 20) * 2.5 - (i > 18 ? 1.5 : 0));
    const lending = t(i < 8 ? 0 : 150 + (i - 8) * 2.3);
    const feePool = t(i < 12 ? 0 : 95 + (i - 12) * 0.32);
    const liquidityEth = t(i < 15 ? 0 : 0.48 + (i - 15) * 0.0013);
    const total = BigInt(staking) + BigInt(lending) + BigInt(feePool) + (BigInt(liquidityEth) * 400n) + BigInt(tokens('800'));
    return {
      at: NOW - (days - 1 - i) * 86_400_000,
      stakingWei: staking,
      lendingWei: lending,
      feePoolWei: feePool,
      liquidityEthWei: liquidityEth,
      totalTokenWei: total.toString(),
    };
  });
}
