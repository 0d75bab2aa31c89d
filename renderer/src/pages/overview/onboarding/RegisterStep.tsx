import { useEffect, useRef, useState } from 'react';
import type { MarketStatus, RegisterPreview } from '../../../../../common/ipc/groups/market.ts';
import type { WalletStatus } from '../../../../../common/ipc/groups/wallet.ts';
import { useClient } from '../../../state/context.tsx';
import { toCallError, type CallError } from '../../../state/store.ts';
import { Button, Notice, ProgressBar, Spinner, TextInput } from '../../../ui/index.ts';
import { formatGas, formatToken, parseTokenAmount, TOKEN_SYMBOL, weiToDecimalText } from '../../market/format.ts';
import { UnlockInline } from '../../market/UnlockInline.tsx';

const PREVIEW_DELAY_MS = 350;

/** Errors a user fixes by adding tokens or gas money. */
function isFundsProblem(code: string | null, message: string | null): boolean {
  return code === 'insufficient_funds' || /not enough|insufficient|balance/i.test(message ?? '');
}

/**
 * Step 2: pick a class, see what staking takes (balance, gas, the transactions), confirm.
 * Nothing is sent before the user presses the confirm button.
 */
export function RegisterStep({ status, onStatus, onLater }: { status: MarketStatus; onStatus: (next: MarketStatus) => void; onLater: () => void }) {
  const client = useClient();
  const firstClass = status.suggestedClass ?? status.classes.find((c) => c.servable)?.classLabel ?? status.classes[0]?.classLabel ?? '';
  const [classLabel, setClassLabel] = useState(firstClass);
  const [amount, setAmount] = useState('');
  const touched = useRef(false);
  const [preview, setPreview] = useState<RegisterPreview | null>(null);
  const [previewError, setPreviewError] = useState<CallError | null>(null);
  const [wallet, setWallet] = useState<WalletStatus | null>(null);
  const [phase, setPhase] = useState<'edit' | 'sending' | 'done'>('edit');
  const [sendError, setSendError] = useState<CallError | null>(null);
  const [funding, setFunding] = useState<{ state: 'idle' | 'busy' | 'done' | 'failed'; message?: string }>({ state: 'idle' });
  const [reloadKey, setReloadKey] = useState(0);
  const chosen = status.classes.find((c) => c.classLabel === classLabel);
  const amountWei = parseTokenAmount(amount);
  const amountProblem =
    amount.trim() === '' ? null : amountWei === null ? `Enter an amount of ${TOKEN_SYMBOL} such as 150.` : chosen && amountWei < BigInt(chosen.minStakeWei) ? `This class needs at least ${formatToken(chosen.minStakeWei)}.` : null;

  useEffect(() => {
    let live = true;
    client.call('wallet:status', {}).then(
      (w) => live && setWallet(w),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, reloadKey, status.state]);

  // Preview on every change of class or amount (debounced); the first one, with the class
  // minimum, also brings the suggested amount that fills the box.
  useEffect(() => {
    if (!chosen) return undefined;
    const stake = amountWei !== null && amountProblem === null && amount.trim() !== '' ? amount.trim() : weiToDecimalText(chosen.minStakeWei);
    let live = true;
    const timer = window.setTimeout(
      () => {
        client.call('market:preview-register', { classLabel, stake }).then(
          (p) => {
            if (!live) return;
            setPreview(p);
            setPreviewError(null);
            if (!touched.current) setAmount(weiToDecimalText(p.suggestedStakeWei));
          },
          (e: unknown) => live && setPreviewError(toCallError(e)),
        );
      },
      touched.current ? PREVIEW_DELAY_MS : 0,
    );
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // amountWei and amountProblem follow from amount; chosen from classLabel.
  }, [client, classLabel, amount, reloadKey, chosen?.minStakeWei]);

  const locked = status.state === 'locked' || wallet?.locked === true;
  const problem = preview?.problem ?? null;
  const canConfirm = phase === 'edit' && preview !== null && amountWei !== null && amountProblem === null && problem === null && !locked;

  const confirm = async () => {
    setPhase('sending');
    setSendError(null);
    try {
      const next = await client.call('market:register', { classLabel, stake: amount.trim() });
      setPhase('done');
      onStatus(next);
    } catch (failure) {
      setSendError(toCallError(failure));
      setPhase('edit');
    }
  };
  const getFunds = async () => {
    setFunding({ state: 'busy' });
    try {
      await client.call('wallet:get-test-funds', {});
      setFunding({ state: 'done' });
      setSendError(null);
      setReloadKey((k) => k + 1);
    } catch (failure) {
      setFunding({ state: 'failed', message: toCallError(failure).message });
    }
  };
  const fundsProblem = isFundsProblem(sendError?.code ?? null, sendError?.message ?? problem);
  const fundsAction =
    wallet?.faucet && (fundsProblem || isFundsProblem(null, problem)) ? (
      <Button size="sm" variant="primary" busy={funding.state === 'busy'} onClick={() => void getFunds()}>
        Get test funds
      </Button>
    ) : undefined;

  if (phase === 'done') {
    return <Notice tone="info" title="Registered and staked">This machine is now a provider in {classLabel}. Hearth will look for jobs when you are away.</Notice>;
  }

  return (
    <div className="register-step" data-testid="register-step">
      <p className="onboarding__text">
        Providers put down a stake so requesters can trust their results: it stays yours, and comes back when you stop. A wrong or late result costs a part of it.
      </p>
      {locked && (
        <Notice tone="warn" title="Unlock the wallet to register">
          <UnlockInline keychain={wallet?.keychain.enabled ?? false} onUnlocked={() => setReloadKey((k) => k + 1)} />
        </Notice>
      )}
      <fieldset className="class-picker" disabled={phase === 'sending'}>
        <legend className="field__label">Device class</legend>
        {status.classes.map((c) => (
          <label key={c.classLabel} className={`class-picker__option${c.classLabel === classLabel ? ' is-selected' : ''}`}>
            <input type="radio" name="class" value={c.classLabel} checked={c.classLabel === classLabel} onChange={() => setClassLabel(c.classLabel)} />
            <span className="class-picker__name">
              {c.classLabel}
              {c.classLabel === status.suggestedClass && <span className="class-picker__hint"> · suggested for your best device</span>}
              {!c.servable && <span className="class-picker__hint"> · no enabled device can serve it</span>}
            </span>
            <span className="class-picker__meta">
              at least {formatToken(c.minStakeWei)} stake · pays {formatToken(c.priceWei, 6)} per unit now
            </span>
          </label>
        ))}
      </fieldset>
      <TextInput
        id="register-stake"
        label={`Stake (${TOKEN_SYMBOL})`}
        inputMode="decimal"
        value={amount}
        disabled={phase === 'sending'}
        error={amountProblem}
        help={preview ? `Suggested ${formatToken(preview.suggestedStakeWei)}: the minimum of ${formatToken(preview.minStakeWei)} plus room for penalties.` : undefined}
        onChange={(value) => {
          touched.current = true;
          setAmount(value);
        }}
      />
      {previewError && <Notice tone="error" title="Hearth could not work out what registering takes">{previewError.message}</Notice>}
      {preview ? (
        <div className="register-preview" data-testid="register-preview">
          <dl className="register-preview__figures">
            <div>
              <dt>Your balance</dt>
              <dd>{formatToken(preview.tokenBalanceWei)}</dd>
            </div>
            <div>
              <dt>For network fees</dt>
              <dd>{formatGas(preview.nativeBalanceWei)}</dd>
            </div>
            <div>
              <dt>Estimated fees</dt>
              <dd>
                {formatGas(preview.estimatedGasWei)} <span className="muted">(at most {formatGas(preview.maxGasWei)})</span>
              </dd>
            </div>
          </dl>
          <p className="register-preview__lead">Confirming sends these transactions, one after the other:</p>
          <ol className="register-preview__steps">
            {preview.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          {problem && (
            <Notice tone="warn" title="This cannot go through yet" action={fundsAction}>
              {problem}
              {funding.state === 'failed' && ` Getting test funds failed: ${funding.message ?? ''}`}
            </Notice>
          )}
        </div>
      ) : (
        !previewError && (
          <div className="loading-row">
            <Spinner /> Working out what registering takes…
          </div>
        )
      )}
      {funding.state === 'done' && <Notice tone="info" title="Test funds sent">Your balance updates in a moment; then register again.</Notice>}
      {phase === 'sending' && <ProgressBar value={null} label="Sending and waiting for the network to confirm" detail={`${preview?.steps.length ?? 3} transactions`} />}
      {sendError && (
        <Notice tone="error" title="Registering did not go through" action={fundsAction}>
          {sendError.message}
          {fundsProblem && (wallet?.faucet ? ' On this test network you can get free test funds, then try again.' : ` Add ${TOKEN_SYMBOL} and a little for fees to ${status.address ?? 'your wallet'}, then try again.`)}
          {sendError.code === 'wallet_locked' && ' Unlock the wallet above, then try again.'}
          {funding.state === 'failed' && ` Getting test funds failed: ${funding.message ?? ''}`}
        </Notice>
      )}
      <div className="onboarding__actions">
        <Button variant="primary" busy={phase === 'sending'} disabled={!canConfirm} onClick={() => void confirm()}>
          {amountWei !== null && amountProblem === null ? `Register and stake ${amount.trim()} ${TOKEN_SYMBOL}` : 'Register and stake'}
        </Button>
        <Button variant="ghost" disabled={phase === 'sending'} onClick={onLater}>
          Later
        </Button>
      </div>
    </div>
  );
}
