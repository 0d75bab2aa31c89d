import { parseArgs } from 'node:util';
import { EXIT, type CliCommand } from '../command.ts';
import { withRunning } from '../connect.ts';
import { defaultAppPaths } from '../../../core/node-ports.ts';
import type { PositionsView } from '../../../common/ipc/groups/positions.ts';
import { formatUnits } from '../../../core/positions/amounts.ts';
import { percentText } from '../../../common/percent.ts';

const amount = (wei: string | null | undefined, symbol: string): string =>
  wei === null || wei === undefined ? '—' : `${formatUnits(BigInt(wei))} ${symbol}`;
const percent = (x: number | null): string => (x === null ? '—' : percentText(x));

/** Label/value rows, padded into two columns. */
function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
}

/** The view as a few readable sections; every figure in the token and, where it applies, in ETH. */
export function renderPositions(v: PositionsView): string {
  const t = v.tokenSymbol;
  const e = v.nativeSymbol;
  const lines: string[] = [];
  const all = v.missing.find((m) => m.kind === 'all');
  lines.push(`Positions of ${v.address ?? '(no account)'} on chain ${v.chainId}${v.block === null ? '' : ` at block ${v.block}`}`);
  if (all) {
    lines.push(`  ${all.reason}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    ...table([
      ['Wallet', `${amount(v.tokenBalanceWei, t)} and ${amount(v.nativeBalanceWei, e)}`],
      ['Price', v.priceEthPerToken === null ? 'no pair' : `1 ${t} = ${amount(v.priceEthPerToken, e)}`],
    ]),
  );
  if (v.staking) {
    const s = v.staking;
    lines.push('', `Staking${s.registered ? '' : ' (not registered)'}: ${amount(s.totalWei, t)} (${amount(s.valueEthWei, e)})`);
    const rows: [string, string][] = s.classes
      .filter((c) => c.activeWei !== '0' || c.unbondingWei !== '0')
      .map((c) => [
        c.classLabel,
        `${amount(c.activeWei, t)} active${c.lockedWei !== '0' ? `, ${amount(c.lockedWei, t)} locked` : ''}${c.unbondingWei !== '0' ? `, ${amount(c.unbondingWei, t)} unbonding until ${new Date(c.releaseAt!).toLocaleString()}` : ''} (min ${amount(c.minStakeWei, t)})`,
      ]);
    rows.push(
      ['rewards', amount(s.rewardsWei, t)],
      ['slashed', `${amount(s.slashedWei, t)} in ${s.slashes} slash(es)`],
      ['unbonding delay', `${s.unbondingDelaySeconds} s`],
    );
    lines.push(...table(rows));
  }
  if (v.lending) {
    const l = v.lending;
    lines.push('', `Lending: ${amount(l.suppliedWei, t)} lent (${amount(l.valueEthWei, e)})`);
    lines.push(
      ...table([
        ['borrowed', amount(l.borrowedWei, t)],
        ['health factor', l.healthFactor === null ? 'no debt' : l.healthFactor.toFixed(2)],
        ['supply / borrow APR', `${percent(l.supplyApr)} / ${percent(l.borrowApr)}`],
        ['vault utilization', percent(l.utilization)],
      ]),
    );
  }
  if (v.feePool) {
    const p = v.feePool;
    lines.push('', `Fee pool: ${amount(p.valueWei, t)} (${amount(p.valueEthWei, e)}), APY ${percent(p.apy)}`, `  ${p.apyBasis}`);
  }
  if (v.liquidity) {
    const q = v.liquidity;
    lines.push('', `Liquidity: ${amount(q.valueEthWei, e)}, ${percent(q.share)} of the ${t}/${e} pool`);
    lines.push(
      ...table([
        ['holds', `${amount(q.tokenWei, t)} and ${amount(q.ethWei, e)}`],
        ['fees earned', amount(q.feesEthWei, e)],
        ['had you held', amount(q.holdValueEthWei, e)],
      ]),
    );
  }
  lines.push('', `Total: ${amount(v.totalTokenWei, t)}${v.totalEthWei === null ? '' : ` (${amount(v.totalEthWei, e)})`}`);
  for (const m of v.missing) lines.push(`  no ${m.kind}: ${m.reason}`);
  return `${lines.join('\n')}\n`;
}

export const positionsCommand: CliCommand = {
  name: 'positions',
  summary: 'Show the staking, lending, pool and liquidity positions of the selected account',
  usage: 'hearth positions [--json] [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } }, strict: true });
    const dataDir = values['data-dir'] ?? defaultAppPaths(io.env).dataDir;
    return withRunning(dataDir, io, async (connection) => {
      const view = await connection.client.call('positions:get', {});
      io.out(values.json ? `${JSON.stringify(view)}\n` : renderPositions(view));
      return EXIT.ok;
    });
  },
};
