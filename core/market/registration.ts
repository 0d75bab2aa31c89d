/**
 * Becoming a provider: register with ProviderStaking (once), approve the stake and stake it
 * in a device class. The preview says what it takes (transactions, gas, balances) before
 * anything is sent; register sends the steps in order and waits for each.
 */
import { parseUnits } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { Deployment } from '../../common/contracts/addresses.ts';
import type { RegisterPreview } from '../../common/ipc/groups/market.ts';
import type { ActiveNetwork, Signer, TxManager } from '../chain/tx-manager.ts';
import { suggestFees } from '../chain/fees.ts';
import { read, readProvider, readTokenFor, stakingIface, tokenIface } from './chain-reads.ts';
import { sendAndWait, type SendDeps } from './send.ts';

/**
 * Stake suggested over the minimum: each claim locks at least the miss penalty of free stake
 * as collateral, so this leaves room for a few open claims, or for a few penalties before the
 * stake drops under the minimum.
 */
export function suggestedStake(minStake: bigint, missPenalty: bigint): bigint {
  return minStake + 3n * missPenalty;
}

interface Plan {
  classId: string;
  stakeWei: bigint;
  minStakeWei: bigint;
  suggestedWei: bigint;
  balance: bigint;
  native: bigint;
  steps: { label: string; to: string; data: string; fallbackGas: bigint }[];
  problem: string | null;
  /** insufficient_funds when more tokens or ETH would fix it (the UI then offers test funds). */
  problemCode: 'insufficient_funds' | 'cannot_register' | null;
}

async function plan(
  net: ActiveNetwork,
  deployment: Deployment,
  address: string,
  input: { classLabel: string; stake: string },
  missPenalty: bigint,
  endpoint: string,
): Promise<Plan> {
  const market = deployment.markets.find((m) => m.classLabel === input.classLabel);
  if (!market) throw new HearthError('unknown_class', `This network has no market for ${input.classLabel}. Pick one of: ${deployment.markets.map((m) => m.classLabel).join(', ')}.`);
  const stakeWei = parseUnits(input.stake, 18);
  const provider = await readProvider(net.rpc, deployment.staking, address, [market.classId]);
  const minStakeWei = provider.minStakes.get(market.classId) ?? 0n;
  const current = provider.stakes.get(market.classId) ?? 0n;
  const { balance, allowance } = await readTokenFor(net.rpc, deployment.token, address, deployment.staking);
  const native = BigInt(await net.rpc.request<string>('eth_getBalance', [address, 'latest']));
  const declared = provider.id !== 0 ? Boolean((await read(net.rpc, stakingIface, deployment.staking, 'classStakes', [address, market.classId]))[3]) : false;
  const steps: Plan['steps'] = [];
  if (provider.id === 0) {
    steps.push({ label: 'Register as a provider', to: deployment.staking, data: stakingIface.encodeFunctionData('register', [[market.classId], endpoint]), fallbackGas: 200_000n });
  } else if (!declared) {
    steps.push({ label: `Add the ${input.classLabel} class`, to: deployment.staking, data: stakingIface.encodeFunctionData('declareClass', [market.classId]), fallbackGas: 120_000n });
  }
  if (stakeWei > 0n && allowance < stakeWei) {
    steps.push({ label: 'Allow the staking contract to take the stake', to: deployment.token, data: tokenIface.encodeFunctionData('approve', [deployment.staking, stakeWei]), fallbackGas: 80_000n });
  }
  if (stakeWei > 0n) {
    steps.push({ label: `Stake ${input.stake} in ${input.classLabel}`, to: deployment.staking, data: stakingIface.encodeFunctionData('stake', [market.classId, stakeWei]), fallbackGas: 250_000n });
  }
  let problem: string | null = null;
  let problemCode: Plan['problemCode'] = 'cannot_register';
  if (stakeWei === 0n && current >= minStakeWei && steps.length === 0) problem = 'This machine is already registered and staked in that class.';
  else if (current + stakeWei < minStakeWei) problem = `The ${input.classLabel} market needs at least ${fmt(minStakeWei)} staked; ${fmt(current + stakeWei)} would be staked.`;
  else if (stakeWei > balance) {
    problem = `The wallet holds ${fmt(balance)} tokens, less than the ${fmt(stakeWei)} to stake: insufficient balance.`;
    problemCode = 'insufficient_funds';
  } else if (native === 0n) {
    problem = 'The wallet has no ETH to pay for gas: insufficient balance.';
    problemCode = 'insufficient_funds';
  }
  if (problem === null) problemCode = null;
  return { classId: market.classId, stakeWei, minStakeWei, suggestedWei: suggestedStake(minStakeWei, missPenalty), balance, native, steps, problem, problemCode };
}

function fmt(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const frac = (wei % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '').slice(0, 4);
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** What registering and staking would take, without sending anything. */
export async function previewRegistration(
  deps: { net: ActiveNetwork; txs: TxManager; deployment: Deployment; address: string; missPenalty: bigint; endpoint: string },
  input: { classLabel: string; stake: string },
): Promise<RegisterPreview> {
  const p = await plan(deps.net, deps.deployment, deps.address, input, deps.missPenalty, deps.endpoint);
  let gas = 0n;
  for (const step of p.steps) {
    // Later steps depend on earlier ones (stake needs the approval), so they cannot all be estimated now.
    gas += await deps.txs.estimateGas(deps.address, { to: step.to, data: step.data, label: step.label }).catch(() => step.fallbackGas);
  }
  const fees = await suggestFees(deps.net.rpc);
  const base = fees.maxFeePerGas - fees.maxPriorityFeePerGas;
  const estimatedFee = gas * (base / 2n + fees.maxPriorityFeePerGas);
  const maxFee = gas * fees.maxFeePerGas;
  const problem = p.problem ?? (p.native < maxFee ? `Gas may cost up to ${fmt(maxFee)} ETH; the wallet holds ${fmt(p.native)}.` : null);
  return {
    classLabel: input.classLabel,
    stakeWei: p.stakeWei.toString(),
    minStakeWei: p.minStakeWei.toString(),
    suggestedStakeWei: p.suggestedWei.toString(),
    tokenBalanceWei: p.balance.toString(),
    nativeBalanceWei: p.native.toString(),
    steps: p.steps.map((s) => s.label),
    estimatedGasWei: estimatedFee.toString(),
    maxGasWei: maxFee.toString(),
    problem,
  };
}

/** Sends register / approve / stake as needed, waiting for each; stops at the first failure. */
export async function register(
  deps: SendDeps & { net: ActiveNetwork; deployment: Deployment; signer: Signer; missPenalty: bigint; endpoint: string; onTx?: (label: string, hash: string, gasWei: bigint, status: 'confirmed' | 'failed', block: number) => void },
  input: { classLabel: string; stake: string },
): Promise<void> {
  const p = await plan(deps.net, deps.deployment, deps.signer.address, input, deps.missPenalty, deps.endpoint);
  if (p.problem) throw new HearthError(p.problemCode ?? 'cannot_register', p.problem);
  for (const step of p.steps) {
    const sent = await sendAndWait(deps, deps.signer, { to: step.to, data: step.data, label: step.label });
    deps.onTx?.(step.label, sent.hash, sent.gasWei, sent.status, sent.blockNumber);
    if (sent.status === 'failed') throw new HearthError('tx_failed', `${step.label} was included but reverted (${sent.hash}). Nothing after it was sent.`);
  }
}
