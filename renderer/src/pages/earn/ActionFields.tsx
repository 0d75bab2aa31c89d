import type { PositionsView } from '../../../../common/ipc/groups/positions.ts';
import { Field, Select, TextInput } from '../../ui/index.ts';
import { weiToDecimalText } from '../market/format.ts';
import { SLIPPAGE_CHOICES, type ActionForm, type ActionSpec, type Built } from './actions.ts';
import { amountWithSymbol, bpsText } from './format.ts';

type FieldErrors = Partial<Record<Extract<Built, { ok: false }>['field'], string>>;

/** What there is to act on, shown under the amount, and what "Max" fills in (null: no Max button). */
function available(spec: ActionSpec, form: ActionForm, view: PositionsView): { help: string; max: string | null } {
  const t = view.tokenSymbol;
  const wallet = `In your wallet: ${amountWithSymbol(view.tokenBalanceWei, t)}.`;
  const fromWallet = { help: wallet, max: view.tokenBalanceWei };
  const cls = view.staking?.classes.find((c) => c.classLabel === form.classLabel);
  switch (spec.kind) {
    case 'stake':
    case 'lend':
    case 'pool-deposit':
    case 'add-liquidity':
      return fromWallet;
    case 'unbond': {
      if (!cls) return { help: '', max: null };
      const free = BigInt(cls.activeWei) - BigInt(cls.lockedWei);
      return { help: `Active in ${cls.classLabel}: ${amountWithSymbol(cls.activeWei, t)}, of which ${amountWithSymbol(cls.lockedWei, t)} is held by open jobs.`, max: (free > 0n ? free : 0n).toString() };
    }
    case 'borrow-to-stake':
      return { help: view.lending ? `You can borrow up to ${amountWithSymbol(view.lending.borrowableWei, t)} now.` : '', max: view.lending?.borrowableWei ?? null };
    case 'redeem-lend':
      return { help: view.lending ? `Supplied: ${amountWithSymbol(view.lending.suppliedWei, t)}. Type "all" to take everything out.` : '', max: null };
    case 'repay':
      return { help: view.lending ? `Debt with interest: ${amountWithSymbol(view.lending.borrowedWei, t)}. ${wallet} Type "all" to clear the debt.` : '', max: null };
    case 'pool-redeem':
      return { help: view.feePool ? `In the pool: ${amountWithSymbol(view.feePool.valueWei, t)}. Type "all" to take everything out.` : '', max: view.feePool?.valueWei ?? null };
    case 'swap':
      return form.direction === 'token-to-eth'
        ? fromWallet
        : { help: `In your wallet: ${amountWithSymbol(view.nativeBalanceWei, view.nativeSymbol)} (keep some for network fees).`, max: null };
    default:
      return { help: '', max: null };
  }
}

/** The form part of an action dialog: only the fields its kind needs, each labelled, errors under them. */
export function ActionFields({ spec, form, onChange, errors, view, disabled }: { spec: ActionSpec; form: ActionForm; onChange: (next: ActionForm) => void; errors: FieldErrors; view: PositionsView; disabled: boolean }) {
  const set = (patch: Partial<ActionForm>) => onChange({ ...form, ...patch });
  const classes = view.staking?.classes ?? [];
  const amountUnit = spec.amount?.label === 'swap' && form.direction === 'eth-to-token' ? view.nativeSymbol : view.tokenSymbol;
  const { help, max } = available(spec, form, view);
  return (
    <div className="earn-form">
      {spec.direction && (
        <Select
          label="Direction"
          value={form.direction}
          disabled={disabled}
          options={[
            { value: 'token-to-eth', label: `Sell ${view.tokenSymbol} for ${view.nativeSymbol}` },
            { value: 'eth-to-token', label: `Buy ${view.tokenSymbol} with ${view.nativeSymbol}` },
          ]}
          onChange={(direction) => set({ direction })}
        />
      )}
      {spec.classLabel && (
        <Select
          label="Device class"
          value={form.classLabel}
          disabled={disabled || classes.length === 0}
          error={errors.classLabel ?? (classes.length === 0 ? 'This network has no device classes to stake in.' : null)}
          options={classes.length ? classes.map((c) => ({ value: c.classLabel, label: `${c.classLabel} (${amountWithSymbol(c.activeWei, view.tokenSymbol)} active)` })) : [{ value: '', label: 'No classes' }]}
          onChange={(classLabel) => set({ classLabel })}
        />
      )}
      {spec.amount && (
        <Field label={`Amount (${amountUnit})`} help={help || undefined} error={errors.amount ?? null}>
          {(control) => (
            <div className="earn-form__amount">
              <input
                {...control}
                className="input"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                placeholder={spec.amount?.allowAll ? '0.0 or all' : '0.0'}
                value={form.amount}
                disabled={disabled}
                onChange={(event) => set({ amount: event.target.value })}
              />
              {max !== null && (
                <button type="button" className="btn btn--ghost btn--sm" disabled={disabled} aria-label={`Max: fill in ${amountWithSymbol(max, amountUnit)}`} onClick={() => set({ amount: weiToDecimalText(max) })}>
                  Max
                </button>
              )}
              {spec.amount?.allowAll && (
                <button type="button" className="btn btn--ghost btn--sm" disabled={disabled} aria-label="All of it" onClick={() => set({ amount: 'all' })}>
                  All
                </button>
              )}
            </div>
          )}
        </Field>
      )}
      {spec.percent && (
        <TextInput
          label="Share of your liquidity to take out (%)"
          inputMode="decimal"
          placeholder="50"
          value={form.percent}
          disabled={disabled}
          error={errors.percent ?? null}
          help={view.liquidity ? `You hold ${(view.liquidity.share * 100).toFixed(2)} % of the pair: ${amountWithSymbol(view.liquidity.tokenWei, view.tokenSymbol)} and ${amountWithSymbol(view.liquidity.ethWei, view.nativeSymbol)}.` : undefined}
          onChange={(percent) => set({ percent })}
        />
      )}
      {spec.autoRepay && (
        <TextInput
          label="Share of each payment that repays the debt (%)"
          inputMode="decimal"
          value={form.autoRepayPercent}
          disabled={disabled}
          error={errors.autoRepayPercent ?? null}
          help="0 turns it off; 100 sends every payment to the debt until it is paid."
          onChange={(autoRepayPercent) => set({ autoRepayPercent })}
        />
      )}
      {spec.slippage && (
        <Select
          label="Largest price move accepted (slippage)"
          help="If the price moves more than this before the transaction is mined, it is cancelled and only the network fee is spent."
          value={String(form.slippageBps)}
          disabled={disabled}
          options={SLIPPAGE_CHOICES.map((bps) => ({ value: String(bps), label: bpsText(bps) }))}
          onChange={(value) => set({ slippageBps: Number(value) })}
        />
      )}
    </div>
  );
}
