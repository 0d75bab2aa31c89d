import { Interface, Wallet, parseEther } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { TxRecordView } from '../../common/ipc/groups/chain.ts';
import type { DevnetDeployment } from './chain-service.ts';
import type { Devnet } from './devnet.ts';
import type { TxManager } from './tx-manager.ts';

/**
 * The dev account that pays for "Get test funds". Not account 0, which deploys the
 * protocol: keeping them apart keeps the deployer's nonces (and so the contract
 * addresses) the same on every fresh devnet.
 */
export const FAUCET_ACCOUNT_INDEX = 9;
export const TEST_FUNDS_NATIVE = parseEther('10');

const faucetAbi = new Interface(['function drip(address to) returns (uint256)']);

/** Devnet only: sends native currency, then asks the DevFaucet for tokens, from a dev account. */
export async function sendTestFunds(
  txs: TxManager,
  running: { devnet: Devnet; deployment: DevnetDeployment } | undefined,
  to: string,
): Promise<TxRecordView[]> {
  if (!running) {
    throw new HearthError('faucet_unavailable', 'Test funds exist only on the local devnet, once it is running. Switch to the devnet and wait until it is ready.');
  }
  const account = running.devnet.accounts[FAUCET_ACCOUNT_INDEX] ?? running.devnet.accounts[0];
  if (!account) throw new HearthError('faucet_unavailable', 'The local devnet has no funded development account.');
  const signer = new Wallet(account.privateKey);
  const sent = [await txs.send({ to, valueWei: TEST_FUNDS_NATIVE, gasLimit: 21_000n, label: 'Test funds (ETH)' }, signer)];
  if (running.deployment.faucet) {
    const data = faucetAbi.encodeFunctionData('drip', [to]);
    sent.push(await txs.send({ to: running.deployment.faucet, data, label: `Test funds (${running.deployment.token?.symbol ?? 'tokens'})` }, signer));
  }
  return sent;
}
