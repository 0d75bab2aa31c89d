import { randomUUID } from 'node:crypto';
import { Transaction, getAddress, type TransactionLike } from 'ethers';
import { HearthError } from '../../common/errors.ts';
import type { TxRecordView } from '../../common/ipc/groups/chain.ts';
import type { Clock, Logger } from '../ports.ts';
import { isDiskFull } from '../fs/disk-full.ts';
import { withGasHeadroom } from '../../common/contracts/send.ts';
import { bumpFee, suggestFees } from './fees.ts';
import { RpcError, type RpcClient } from './rpc.ts';
import type { StoredTx, TxAttempt, TxJournal } from './tx-journal.ts';

/** Signs for one address; core/wallet's signer and devnet dev accounts both fit. */
export interface Signer {
  readonly address: string;
  signTransaction(tx: TransactionLike): Promise<string>;
}

export interface TxRequest {
  to: string;
  valueWei?: bigint;
  data?: string;
  gasLimit?: bigint;
  label: string;
}

export interface ActiveNetwork {
  id: string;
  chainId: number;
  rpc: RpcClient;
  explorerUrl: string | null;
}

export interface TxManagerOptions {
  journal: TxJournal;
  clock: Clock;
  logger: Logger;
  network: () => ActiveNetwork | undefined;
  /** The selected network even while it is not answering, so history shows at once. */
  identity?: () => { id: string; chainId: number; explorerUrl: string | null };
  confirmations: () => number;
  onChange: (tx: TxRecordView) => void;
}

interface Receipt {
  status?: string;
  blockNumber: string;
  transactionHash: string;
}

/**
 * Sends and follows every transaction Hearth makes: picks nonces (never reusing one that
 * is pending), prices with EIP-1559, journals the signed bytes before broadcasting,
 * re-sends after crashes or dropped mempools, replaces (speed-up, cancel), and counts
 * confirmations on each new block.
 */
export class TxManager {
  private readonly locks = new Map<string, Promise<unknown>>();
  private polling: Promise<void> | undefined;

  constructor(private readonly options: TxManagerOptions) {}

  /** Transactions on the active chain, newest first, as the UI sees them. */
  list(): TxRecordView[] {
    const net = this.options.identity?.() ?? this.options.network();
    if (!net) return [];
    return this.options.journal
      .all()
      .filter((tx) => tx.chainId === net.chainId && tx.networkId === net.id)
      .map((tx) => this.view(tx, net))
      .reverse();
  }

  /** Estimates gas for a request, with headroom for contract calls (`withGasHeadroom`: why). */
  async estimateGas(from: string, request: TxRequest): Promise<bigint> {
    const net = this.requireNetwork();
    const data = request.data ?? '0x';
    try {
      const hex = await net.rpc.request<string>('eth_estimateGas', [{ from, to: request.to, value: toHex(request.valueWei ?? 0n), data }]);
      const gas = BigInt(hex);
      return data === '0x' ? gas : withGasHeadroom(gas);
    } catch (error) {
      if (error instanceof RpcError) {
        throw new HearthError('tx_would_fail', `The network says this transaction would fail: ${error.message}. Nothing was sent.`, { cause: error });
      }
      throw error;
    }
  }

  /** Signs, journals, then broadcasts a new transaction. */
  async send(request: TxRequest, signer: Signer): Promise<TxRecordView> {
    const net = this.requireNetwork();
    const from = getAddress(signer.address);
    return this.withLock(`${net.chainId}:${from}`, async () => {
      const gasLimit = request.gasLimit ?? (await this.estimateGas(from, request));
      const fees = await suggestFees(net.rpc);
      const nonce = await this.nextNonce(net, from);
      const now = this.options.clock.now();
      const attempt = await this.sign(signer, net.chainId, nonce, {
        to: getAddress(request.to),
        valueWei: request.valueWei ?? 0n,
        data: request.data ?? '0x',
        gasLimit,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
      const tx: StoredTx = {
        id: randomUUID(),
        chainId: net.chainId,
        networkId: net.id,
        from,
        nonce,
        label: request.label,
        status: 'pending',
        attempts: [attempt],
        includedHash: null,
        blockNumber: null,
        confirmations: 0,
        broadcast: false,
        createdAt: now,
        updatedAt: now,
        error: null,
      };
      // Journal first: from here on a crash resumes this exact transaction, never a new one.
      await this.options.journal.put(tx);
      await this.broadcast(net, tx, attempt, true);
      return this.view(tx, net);
    });
  }

  /** Replaces a pending transaction with the same one at higher fees. */
  speedUp(id: string, signer: Signer): Promise<TxRecordView> {
    return this.replace(id, signer, false);
  }

  /** Replaces a pending transaction with a 0-value send to self, which frees its nonce. */
  cancel(id: string, signer: Signer): Promise<TxRecordView> {
    return this.replace(id, signer, true);
  }

  /** Follows pending transactions; call on each new block (concurrent calls share one run). */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const net = this.options.network();
    if (!net) return;
    const pending = this.options.journal.all().filter((t) => t.status === 'pending' && t.chainId === net.chainId && t.networkId === net.id);
    if (pending.length === 0) return;
    const head = Number(BigInt(await net.rpc.request<string>('eth_blockNumber')));
    for (const tx of pending) {
      try {
        await this.follow(net, tx, head);
      } catch (error) {
        this.options.logger.warn('tx: follow failed', { id: tx.id, error: String(error) });
      }
    }
  }

  private async follow(net: ActiveNetwork, tx: StoredTx, head: number): Promise<void> {
    const receipt = await this.findReceipt(net, tx);
    if (receipt) {
      const blockNumber = Number(BigInt(receipt.blockNumber));
      const confirmations = Math.max(0, head - blockNumber + 1);
      const reverted = receipt.status === '0x0';
      const done = reverted || confirmations >= this.options.confirmations();
      await this.update(net, tx, {
        includedHash: receipt.transactionHash,
        blockNumber,
        confirmations,
        broadcast: true,
        status: reverted ? 'failed' : done ? 'confirmed' : 'pending',
        error: reverted ? 'The transaction was included but reverted.' : null,
      });
      return;
    }
    const mined = Number(BigInt(await net.rpc.request<string>('eth_getTransactionCount', [tx.from, 'latest'])));
    if (mined > tx.nonce) {
      // The nonce was used but not by any of our attempts (receipts checked again to close the race).
      if (await this.findReceipt(net, tx)) return;
      await this.update(net, tx, { status: 'dropped', error: 'Another transaction with the same nonce was confirmed instead.' });
      return;
    }
    const latest = tx.attempts.at(-1)!;
    const known = await net.rpc.request<unknown>('eth_getTransactionByHash', [latest.hash]);
    if (known === null) {
      // Never broadcast (crash, RPC down) or dropped from the mempool: send the same bytes again.
      await this.broadcast(net, tx, latest, false);
    }
  }

  private async findReceipt(net: ActiveNetwork, tx: StoredTx): Promise<Receipt | undefined> {
    for (const attempt of [...tx.attempts].reverse()) {
      const receipt = await net.rpc.request<Receipt | null>('eth_getTransactionReceipt', [attempt.hash]);
      if (receipt) return receipt;
    }
    return undefined;
  }

  private async replace(id: string, signer: Signer, cancel: boolean): Promise<TxRecordView> {
    const net = this.requireNetwork();
    const existing = this.options.journal.get(id);
    if (!existing || existing.chainId !== net.chainId)
      throw new HearthError('unknown_tx', "That transaction is not in this network's history.");
    if (getAddress(signer.address) !== getAddress(existing.from)) {
      throw new HearthError('wrong_account', `Only ${existing.from} can replace this transaction. Select that account first.`);
    }
    return this.withLock(`${net.chainId}:${getAddress(existing.from)}`, async () => {
      const tx = this.options.journal.get(id)!;
      if (tx.status !== 'pending' || tx.includedHash) {
        throw new HearthError('tx_not_pending', 'This transaction is no longer pending, so it cannot be sped up or cancelled.');
      }
      const last = tx.attempts.at(-1)!;
      const fees = await suggestFees(net.rpc);
      const maxPriorityFeePerGas = max(bumpFee(BigInt(last.maxPriorityFeePerGas)), fees.maxPriorityFeePerGas);
      const maxFeePerGas = max(bumpFee(BigInt(last.maxFeePerGas)), fees.maxFeePerGas, maxPriorityFeePerGas);
      const attempt = await this.sign(signer, net.chainId, tx.nonce, {
        to: cancel ? tx.from : last.to,
        valueWei: cancel ? 0n : BigInt(last.valueWei),
        data: cancel ? '0x' : last.data,
        gasLimit: cancel ? 21_000n : BigInt(last.gasLimit),
        maxFeePerGas,
        maxPriorityFeePerGas,
      });
      const next: StoredTx = {
        ...tx,
        attempts: [...tx.attempts, attempt],
        label: cancel && !tx.label.startsWith('Cancel') ? `Cancel: ${tx.label}` : tx.label,
        updatedAt: this.options.clock.now(),
      };
      await this.options.journal.put(next);
      try {
        await this.broadcast(net, next, attempt, true);
      } catch (error) {
        // The node refused the replacement: forget it so the original stays the one followed.
        await this.options.journal.put({ ...next, attempts: tx.attempts, label: tx.label });
        throw error;
      }
      return this.view(this.options.journal.get(id)!, net);
    });
  }

  private async sign(
    signer: Signer,
    chainId: number,
    nonce: number,
    fields: { to: string; valueWei: bigint; data: string; gasLimit: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ): Promise<TxAttempt> {
    const raw = await signer.signTransaction({
      type: 2,
      chainId,
      nonce,
      to: fields.to,
      value: fields.valueWei,
      data: fields.data,
      gasLimit: fields.gasLimit,
      maxFeePerGas: fields.maxFeePerGas,
      maxPriorityFeePerGas: fields.maxPriorityFeePerGas,
    });
    return {
      hash: Transaction.from(raw).hash!,
      raw,
      to: fields.to,
      valueWei: fields.valueWei.toString(),
      data: fields.data,
      gasLimit: fields.gasLimit.toString(),
      maxFeePerGas: fields.maxFeePerGas.toString(),
      maxPriorityFeePerGas: fields.maxPriorityFeePerGas.toString(),
      createdAt: this.options.clock.now(),
    };
  }

  /**
   * Sends signed bytes. Permanent refusals on a first send mark the record failed and
   * throw; an unreachable node leaves it pending, to be re-sent by poll(), and does not
   * throw: the user must not be invited to send it again.
   */
  private async broadcast(net: ActiveNetwork, tx: StoredTx, attempt: TxAttempt, firstTime: boolean): Promise<void> {
    try {
      await net.rpc.request('eth_sendRawTransaction', [attempt.raw]);
    } catch (error) {
      if (error instanceof RpcError) {
        if (/already known|known transaction|already imported/i.test(error.message)) {
          await this.markSent(net, tx);
          return;
        }
        if (/nonce too low/i.test(error.message)) return; // poll() resolves which attempt won
        if (!firstTime) {
          this.options.logger.warn('tx: re-send refused', { id: tx.id, error: error.message });
          return;
        }
        const { code, message } = describeRefusal(error.message);
        if (tx.attempts.length === 1) await this.update(net, tx, { status: 'failed', error: message });
        throw new HearthError(code, message);
      }
      if (error instanceof HearthError && error.code === 'rpc_unreachable') {
        await this.update(net, tx, { error: 'Not yet accepted by the network; Hearth keeps re-sending the same transaction.' });
        return;
      }
      throw error;
    }
    await this.markSent(net, tx);
  }

  /**
   * Records that a node took the transaction. If that cannot be saved (a full disk), the sending
   * still happened: the journal keeps it pending with the same signed bytes, which poll() re-sends
   * harmlessly, so no error reaches the caller, who would otherwise be invited to send it again.
   */
  private async markSent(net: ActiveNetwork, tx: StoredTx): Promise<void> {
    try {
      await this.update(net, tx, { broadcast: true, error: null });
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      this.options.logger.warn('tx: sent, but marking it sent could not be saved', { id: tx.id, error: (error as Error).message });
    }
  }

  private async update(net: ActiveNetwork, tx: StoredTx, patch: Partial<StoredTx>): Promise<void> {
    const current = this.options.journal.get(tx.id) ?? tx;
    const next: StoredTx = { ...current, ...patch, updatedAt: this.options.clock.now() };
    await this.options.journal.put(next);
    Object.assign(tx, next);
    this.options.onChange(this.view(next, net));
  }

  private async nextNonce(net: ActiveNetwork, from: string): Promise<number> {
    const chain = Number(BigInt(await net.rpc.request<string>('eth_getTransactionCount', [from, 'pending'])));
    let local = 0;
    for (const tx of this.options.journal.all()) {
      if (tx.chainId === net.chainId && tx.networkId === net.id && getAddress(tx.from) === from && tx.status === 'pending') {
        local = Math.max(local, tx.nonce + 1);
      }
    }
    return Math.max(chain, local);
  }

  private view(tx: StoredTx, net: { explorerUrl: string | null }): TxRecordView {
    const first = tx.attempts[0]!;
    const last = tx.attempts.at(-1)!;
    const hash = tx.includedHash ?? last.hash;
    return {
      id: tx.id,
      chainId: tx.chainId,
      from: tx.from,
      to: first.to,
      valueWei: first.valueWei,
      nonce: tx.nonce,
      label: tx.label,
      status: tx.status,
      hash,
      hashes: tx.attempts.map((a) => a.hash),
      maxFeePerGas: last.maxFeePerGas,
      maxPriorityFeePerGas: last.maxPriorityFeePerGas,
      blockNumber: tx.blockNumber,
      confirmations: tx.confirmations,
      createdAt: tx.createdAt,
      updatedAt: tx.updatedAt,
      error: tx.error,
      explorerUrl: net.explorerUrl ? `${net.explorerUrl.replace(/\/$/, '')}/tx/${hash}` : null,
    };
  }

  private requireNetwork(): ActiveNetwork {
    const net = this.options.network();
    if (!net)
      throw new HearthError('network_unavailable', 'The network is not connected yet. Wait for it to come up or pick another network.');
    return net;
  }

  private withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    this.locks.set(
      key,
      result.catch(() => undefined),
    );
    return result;
  }
}

function describeRefusal(message: string): { code: string; message: string } {
  if (/insufficient funds|enough funds/i.test(message)) {
    return {
      code: 'insufficient_funds',
      message: 'The account does not have enough to pay for this transaction and its fee. Lower the amount or add funds.',
    };
  }
  if (/underpriced/i.test(message)) {
    return {
      code: 'fee_too_low',
      message: 'The network refused the fee as too low. Try again: Hearth will price it from the latest block.',
    };
  }
  return { code: 'tx_rejected', message: `The network refused the transaction: ${message}` };
}

function toHex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

function max(...values: bigint[]): bigint {
  return values.reduce((a, b) => (a > b ? a : b));
}
