// Realistic market data for component tests and the screenshot preview. Plain values
// that pass the contract's schemas; each builder takes overrides.
import type { EarningsSummary, MarketJobDetail, MarketJobView, MarketStatus, RegisterPreview } from '../../../common/ipc/groups/market.ts';
import type { WalletStatus } from '../../../common/ipc/groups/wallet.ts';
import type { HardwareView } from '../../../common/ipc/groups/hardware.ts';
import type { GpuDevice } from '../../../common/hardware.ts';

export const NOW = Date.UTC(2026, 10, 30, 14, 0, 0);
export const ADDRESS = '0x5aB3c2E1f09d4c7A8b6E2d1F0a9C8b7D6e5F4a31';
export const MARKET = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const TOKEN = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const E18 = 10n ** 18n;

/** Whole tokens (may be fractional text) to wei text. */
export function tokens(amount: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  return (BigInt(whole) * E18 + BigInt(fraction.padEnd(18, '0'))).toString();
}

export function marketStatus(over: Partial<MarketStatus> = {}): MarketStatus {
  return {
    state: 'waiting',
    reason: 'Registered in gpu-8gb: watching the market for jobs that pay at least 0.002 HRTH per unit.',
    address: ADDRESS,
    registered: true,
    providerId: 7,
    classes: [
      { classLabel: 'gpu-8gb', classId: '0x' + 'a1'.repeat(32), market: MARKET, stakeWei: tokens('150'), lockedWei: '0', minStakeWei: tokens('100'), eligible: true, priceWei: tokens('0.0031'), floorWei: tokens('0.001'), servable: true },
      { classLabel: 'cpu', classId: '0x' + 'b2'.repeat(32), market: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9', stakeWei: '0', lockedWei: '0', minStakeWei: tokens('20'), eligible: false, priceWei: tokens('0.0004'), floorWei: tokens('0.0001'), servable: true },
    ],
    suggestedClass: 'gpu-8gb',
    currentJob: null,
    waitingForUnlock: 0,
    jobsPaid: 86,
    earnedWei: tokens('41.2875'),
    pendingWei: tokens('0.744'),
    lastPaymentAt: NOW - 22 * 60_000,
    minPricePerUnitWei: tokens('0.002'),
    reconciliation: { at: NOW - 5 * 60_000, ok: true, ledgerWei: tokens('41.2875'), chainWei: tokens('41.2875'), message: null },
    onboarding: { wallet: 'done', provider: 'done', rules: 'done' },
    ...over,
  };
}

/** A new user: no wallet, not registered, every step to do. */
export function firstRunStatus(over: Partial<MarketStatus> = {}): MarketStatus {
  return marketStatus({
    state: 'no-wallet',
    reason: 'Create or import a wallet so Hearth has somewhere to be paid.',
    address: null,
    registered: false,
    providerId: null,
    classes: marketStatus().classes.map((c) => ({ ...c, stakeWei: '0', eligible: false })),
    jobsPaid: 0,
    earnedWei: '0',
    pendingWei: '0',
    lastPaymentAt: null,
    reconciliation: { at: null, ok: true, ledgerWei: '0', chainWei: '0', message: null },
    onboarding: { wallet: 'todo', provider: 'todo', rules: 'todo' },
    ...over,
  });
}

export function registerPreview(over: Partial<RegisterPreview> = {}): RegisterPreview {
  return {
    classLabel: 'gpu-8gb',
    stakeWei: tokens('150'),
    minStakeWei: tokens('100'),
    suggestedStakeWei: tokens('150'),
    tokenBalanceWei: tokens('1000'),
    nativeBalanceWei: tokens('9.98'),
    steps: ['Register this machine as a provider', 'Allow the market to take the stake (approve)', 'Stake 150 HRTH in gpu-8gb'],
    estimatedGasWei: '412000000000000',
    maxGasWei: '824000000000000',
    problem: null,
    ...over,
  };
}

/** 30 days ending today (NOW), with a quiet start and busier recent days. */
export function earningsSummary(): EarningsSummary {
  const days = Array.from({ length: 30 }, (_, i) => {
    const date = new Date(NOW - (29 - i) * 86_400_000);
    const jobs = i < 6 ? 0 : Math.round(2 + ((i * 7) % 5) + i / 4);
    const earned = jobs === 0 ? 0n : BigInt(jobs) * 42n * 10n ** 15n + BigInt((i * 13) % 9) * 10n ** 16n;
    return {
      day: date.toISOString().slice(0, 10),
      earnedWei: earned.toString(),
      gasWei: (BigInt(jobs) * 61_000_000_000_000n).toString(),
      jobs,
      electricityWei: jobs === 0 ? null : (earned / 9n).toString(),
    };
  });
  const sum = (list: typeof days) => list.reduce((t, d) => t + BigInt(d.earnedWei), 0n).toString();
  return {
    todayWei: days.at(-1)!.earnedWei,
    weekWei: sum(days.slice(-7)),
    monthWei: sum(days),
    days,
    electricityMonthWei: days.reduce((t, d) => t + BigInt(d.electricityWei ?? '0'), 0n).toString(),
  };
}

const models = ['paddleocr-det', 'mobilenet-v3', 'whisper-tiny-en', 'resnet50-int8'];
const states: MarketJobView['state'][] = ['paid', 'paid', 'declined', 'paid', 'failed', 'paid', 'committed', 'abandoned', 'paid', 'expired'];
const reasons: Partial<Record<MarketJobView['state'], string>> = {
  declined: 'Pays 0.0012 HRTH per unit, below your minimum of 0.002.',
  failed: 'The model ran out of video memory on this GPU (needed 7.1 GiB, 6.0 GiB free).',
  abandoned: 'You came back before the job started; it was released for another provider.',
  expired: 'The result was not committed before the deadline; the penalty was taken from the stake.',
};

export function job(i: number, over: Partial<MarketJobView> = {}): MarketJobView {
  const state = states[i % states.length]!;
  const jobId = String(1200 - i);
  const units = 16 * (1 + (i % 4));
  const price = tokens(i % 3 === 0 ? '0.0031' : '0.0028');
  const ran = ['paid', 'committed', 'failed', 'expired'].includes(state);
  const earned = state === 'paid' ? ((BigInt(price) * BigInt(units) * 97n) / 100n).toString() : null;
  return {
    key: `31337:${MARKET.toLowerCase()}:${jobId}`,
    chainId: 31337,
    market: MARKET,
    classLabel: 'gpu-8gb',
    jobId,
    requester: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    model: models[i % models.length]!,
    units,
    maxPricePerUnitWei: price,
    pricePerUnitWei: state === 'declined' ? null : price,
    deadline: NOW - i * 47 * 60_000 + 30 * 60_000,
    state,
    reason: reasons[state] ?? null,
    seenAt: NOW - i * 47 * 60_000 - 60_000,
    updatedAt: NOW - i * 47 * 60_000,
    earnedWei: earned,
    feeWei: earned === null ? null : ((BigInt(price) * BigInt(units) * 3n) / 100n).toString(),
    gasWei: state === 'declined' ? '0' : '183000000000000',
    deviceId: ran ? 'nvidia:0000:01:00.0' : null,
    executionProvider: ran ? 'cuda' : null,
    runMs: ran ? 2400 + i * 310 : null,
    ...over,
  };
}

export function jobs(count: number, from = 0): MarketJobView[] {
  return Array.from({ length: count }, (_, i) => job(from + i));
}

export function jobDetail(view: MarketJobView = job(0)): MarketJobDetail {
  const t = view.seenAt;
  const seen = { at: t, state: 'seen' as const, detail: `Posted for ${view.units} units at up to ${Number(BigInt(view.maxPricePerUnitWei)) / 1e18} HRTH per unit` };
  const ran = [
    { at: t + 300, state: 'claiming' as const, detail: 'Worth taking: pays more than your minimum and the power it uses' },
    { at: t + 4_100, state: 'claimed' as const, detail: null },
    { at: t + 5_200, state: 'fetching' as const, detail: 'Input 148 KB, hash checked' },
    { at: t + 6_000, state: 'running' as const, detail: `On ${view.deviceId ?? 'cpu'} with ${view.executionProvider ?? 'cpu'}` },
  ];
  const delivered = [
    { at: t + 6_000 + (view.runMs ?? 0), state: 'delivering' as const, detail: 'Result signed and sent to the requester' },
    { at: t + 9_800 + (view.runMs ?? 0), state: 'committed' as const, detail: 'Result hash on chain' },
  ];
  const end = (state: MarketJobDetail['state']) => ({ at: view.updatedAt, state, detail: view.reason });
  const events: MarketJobDetail['events'] =
    view.state === 'declined'
      ? [seen, end('declined')]
      : view.state === 'abandoned'
        ? [seen, ran[0]!, end('abandoned')]
        : view.state === 'failed'
          ? [seen, ...ran, end('failed')]
          : view.state === 'expired'
            ? [seen, ...ran, delivered[0]!, end('expired')]
            : [seen, ...ran, ...delivered, ...(view.state === 'paid' ? [{ at: view.updatedAt, state: 'paid' as const, detail: 'Settled after the dispute window' }] : [])];
  const txs: MarketJobDetail['txs'] =
    view.state === 'declined' || view.state === 'abandoned'
      ? []
      : [
          { hash: '0x' + '3c'.repeat(32), label: 'claim', status: 'confirmed', gasUsed: '71234', gasWei: '71234000000000', blockNumber: 4410, at: t + 4_000 },
          ...(view.state === 'paid' || view.state === 'committed'
            ? [{ hash: '0x' + '9d'.repeat(32), label: 'commit', status: 'confirmed' as const, gasUsed: '58110', gasWei: '58110000000000', blockNumber: 4416, at: t + 9_700 }]
            : []),
          ...(view.state === 'paid' ? [{ hash: '0x' + 'e4'.repeat(32), label: 'settle', status: 'confirmed' as const, gasUsed: '53656', gasWei: '53656000000000', blockNumber: 4490, at: view.updatedAt }] : []),
        ];
  return { ...view, inputUri: `http://127.0.0.1:8645/jobs/${view.jobId}/input.json`, inputHash: '0x' + '5e'.repeat(32), resultHash: view.state === 'declined' ? null : '0x' + '71'.repeat(32), events, txs };
}

export function walletStatus(over: Partial<WalletStatus> = {}): WalletStatus {
  return {
    exists: true,
    locked: false,
    kind: 'mnemonic',
    accounts: [{ index: 0, address: ADDRESS, label: 'Account 1' }],
    selected: ADDRESS,
    pendingBackup: false,
    keychain: { available: false, enabled: false },
    autoLockAt: null,
    networkId: 'devnet',
    chainId: 31337,
    balances: [
      { asset: 'native', symbol: 'ETH', decimals: 18, balance: tokens('9.98') },
      { asset: TOKEN, symbol: 'HRTH', decimals: 18, balance: tokens('1000') },
    ],
    balancesBlock: 4500,
    faucet: true,
    ...over,
  };
}

export function hardwareView(): HardwareView {
  const gpu: GpuDevice = {
    id: 'nvidia:0000:01:00.0',
    index: 0,
    vendor: 'nvidia',
    name: 'NVIDIA GeForce RTX 3070',
    nameReported: true,
    uuid: null,
    busId: '0000:01:00.0',
    vramMiB: 8192,
    driverVersion: '590.44.01',
    cudaVersion: '13.1',
    computeCapability: '8.6',
    migEnabled: null,
    migInstances: [],
    virtualization: 'none',
    driverModel: null,
    integrated: false,
    source: 'nvidia-smi',
    support: { status: 'supported', reason: 'NVIDIA GPU with CUDA.', action: '' },
  };
  return {
    inventory: {
      detectedAt: NOW - 60_000,
      gpus: [gpu],
      cpu: { vendor: 'AMD', model: 'AMD Ryzen 7 5800X', physicalCores: 8, logicalCores: 16, speedGHz: 3.8, arch: 'x64' },
      ram: { totalMiB: 32768, availableMiB: 20000 },
      os: { platform: 'linux', distro: 'Debian', release: '13', kernel: '6.12', arch: 'x64', hostname: 'rig' },
      probes: [],
      cpuOnly: false,
    },
    detecting: false,
    latest: null,
    rate: 'background',
    benchmarks: [],
    benchmark: { state: 'idle', deviceId: null, phase: null, progress: 0, startedAt: null, result: null, error: null },
  };
}
