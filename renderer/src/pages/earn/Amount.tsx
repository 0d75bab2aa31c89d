import { amountText, exactText } from './format.ts';

/**
 * One amount: trimmed for reading, exact (every decimal and the wei) in the tooltip and for
 * screen readers that ask for the title. `null` reads as "unknown", never as zero.
 */
export function Amount({ wei, symbol, testId }: { wei: string | null; symbol: string; testId?: string }) {
  if (wei === null) {
    return (
      <span className="amount amount--unknown" data-testid={testId}>
        unknown
      </span>
    );
  }
  return (
    <span className="amount" title={exactText(wei, symbol)} data-testid={testId} data-wei={wei}>
      {amountText(wei)} <span className="amount__symbol">{symbol}</span>
    </span>
  );
}
