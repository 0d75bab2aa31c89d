import { amountText, exactText } from './format.ts';

/**
 * One amount: trimmed for reading, exact (every decimal and the wei) in the tooltip and for
 * screen readers that ask for the title. `null` reads as "unknown", never as zero.
 */
/** `decimals`: the amount's own (18 for the token and ETH; pool shares have more). */
export function Amount({ wei, symbol, testId, decimals = 18 }: { wei: string | null; symbol: string; testId?: string; decimals?: number }) {
  if (wei === null) {
    return (
      <span className="amount amount--unknown" data-testid={testId}>
        unknown
      </span>
    );
  }
  return (
    <span className="amount" title={exactText(wei, symbol, decimals)} data-testid={testId} data-wei={wei}>
      {amountText(wei, decimals)} <span className="amount__symbol">{symbol}</span>
    </span>
  );
}
