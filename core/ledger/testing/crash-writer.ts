/**
 * The crash test's child: writes jobs, transactions, payments and a cursor in a loop until killed.
 *   node --import tsx core/ledger/testing/crash-writer.ts <ledger path>
 * Each paid job is written in one transaction with the cursor (block = its number), so a reader
 * can check that a kill never leaves half of one; every third step also adds a loose job outside it.
 */
import { systemClock } from '../../node-ports.ts';
import { jobKey, openLedger } from '../index.ts';
import { MARKET, PROVIDER, sampleJob, txHash } from './support.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-writer.ts <ledger path>');
const ledger = openLedger({ path, clock: systemClock });
let n = (ledger.getCursor('crash')?.block ?? 0) + 1;
process.stdout.write('ready\n');
for (;;) {
  const paidId = String(n * 2);
  const key = jobKey(31337, MARKET, paidId);
  ledger.transaction(() => {
    ledger.addJob(sampleJob(paidId));
    ledger.transition(key, 'committed', null, { pricePerUnitWei: '5', provider: PROVIDER });
    ledger.recordTx({ hash: txHash(n), jobKey: key, label: 'settle', status: 'confirmed', gasWei: '21000', blockNumber: n });
    ledger.recordPayment({
      jobKey: key,
      chainId: 31337,
      provider: PROVIDER,
      amountWei: (2n ** 70n + BigInt(n)).toString(),
      feeWei: '1',
      blockNumber: n,
      txHash: txHash(n),
      at: systemClock.now(),
    });
    ledger.transition(key, 'paid');
    ledger.setCursor('crash', n, txHash(n));
  });
  if (n % 3 === 0) {
    const looseKey = jobKey(31337, MARKET, String(n * 2 + 1));
    ledger.addJob(sampleJob(n * 2 + 1));
    ledger.transition(looseKey, 'running', 'loose');
  }
  n += 1;
}
