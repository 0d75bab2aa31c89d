import { useEffect, useRef, useState } from 'react';
import type { PositionActionKind, PositionPreview, PositionsView } from '../../../../common/ipc/groups/positions.ts';
import type { WalletStatus } from '../../../../common/ipc/groups/wallet.ts';
import { useClient } from '../../state/context.tsx';
import { toCallError, type CallError } from '../../state/store.ts';
import { Button, Dialog, Notice, ProgressBar } from '../../ui/index.ts';
import { UnlockInline } from '../market/UnlockInline.tsx';
import { shortHash } from '../wallet/format.ts';
import { ActionFields } from './ActionFields.tsx';
import { actionSpecs, buildAction, initialForm, type ActionForm, type Built } from './actions.ts';
import { PreviewPanel } from './PreviewPanel.tsx';

type Phase = 'form' | 'previewing' | 'preview' | 'sending' | 'done';
type FieldErrors = Partial<Record<Extract<Built, { ok: false }>['field'], string>>;

export interface ActionDialogProps {
  kind: PositionActionKind;
  view: PositionsView;
  wallet: WalletStatus | null;
  /** The class to start with (a class row's own button). */
  classLabel?: string;
  onClose: () => void;
  /** The view the action returned: the page shows it at once. */
  onDone: (view: PositionsView) => void;
}

/**
 * One action, start to end: the form (checked here first), core's preview (nothing is sent),
 * confirm, then positions:act with the transactions' hashes, or core's message when it fails.
 */
export function ActionDialog({ kind, view, wallet, classLabel, onClose, onDone }: ActionDialogProps) {
  const client = useClient();
  const spec = actionSpecs[kind];
  const firstClass = classLabel ?? view.staking?.classes.find((c) => c.activeWei !== '0')?.classLabel ?? view.staking?.classes[0]?.classLabel ?? '';
  const [form, setForm] = useState<ActionForm>(() => initialForm(firstClass, view.lending?.autoRepayBps ?? 0));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [phase, setPhase] = useState<Phase>('form');
  const [preview, setPreview] = useState<PositionPreview | null>(null);
  const [failure, setFailure] = useState<{ stage: 'preview' | 'act'; error: CallError } | null>(null);
  const [hashes, setHashes] = useState<string[]>([]);
  const [copied, setCopied] = useState<string | null>(null);
  const locked = wallet?.locked === true;
  const panel = useRef<HTMLDivElement | null>(null);

  // The button that had focus may vanish or be disabled as the steps change: put focus where
  // the next thing to do is, so the keyboard never falls out of the dialog.
  const firstPhase = useRef(true);
  useEffect(() => {
    const root = panel.current;
    if (firstPhase.current || !root) {
      firstPhase.current = false; // The dialog itself focuses the first field on open.
      return;
    }
    const pick = (...names: string[]) => names.map((n) => root.querySelector<HTMLElement>(`[data-focus="${n}"]:not(:disabled)`)).find((el) => el !== null) ?? null;
    const target = phase === 'done' ? pick('close') : phase === 'preview' ? pick('confirm', 'back') : phase === 'form' ? root.querySelector<HTMLElement>('.dialog__body input, .dialog__body select') : null;
    (target ?? root).focus();
  }, [phase]);

  const askPreview = async () => {
    const built = buildAction(spec, form);
    if (!built.ok) {
      setErrors({ [built.field]: built.message });
      return;
    }
    setErrors({});
    setFailure(null);
    setPhase('previewing');
    try {
      setPreview(await client.call('positions:preview', built.action));
      setPhase('preview');
    } catch (error) {
      setFailure({ stage: 'preview', error: toCallError(error) });
      setPhase('form');
    }
  };

  const confirm = async () => {
    if (!preview) return;
    setFailure(null);
    setPhase('sending');
    try {
      const result = await client.call('positions:act', preview.action);
      setHashes(result.txHashes);
      setPhase('done');
      onDone(result.positions);
    } catch (error) {
      setFailure({ stage: 'act', error: toCallError(error) });
      setPhase('preview');
    }
  };

  const editing = phase === 'form' || phase === 'previewing';
  const canConfirm = phase === 'preview' && preview !== null && preview.problem === null && !locked;
  const footer =
    phase === 'done' ? (
      <Button variant="primary" onClick={onClose} data-focus="close">
        Done
      </Button>
    ) : editing ? (
      <>
        <Button variant="ghost" onClick={onClose} disabled={phase === 'previewing'}>
          Cancel
        </Button>
        <Button type="submit" form="earn-action-form" variant="primary" busy={phase === 'previewing'}>
          Preview
        </Button>
      </>
    ) : (
      <>
        <Button variant="ghost" disabled={phase === 'sending'} onClick={() => setPhase('form')} data-focus="back">
          Back
        </Button>
        <Button variant="primary" busy={phase === 'sending'} disabled={!canConfirm} onClick={() => void confirm()} data-focus="confirm">
          Confirm
        </Button>
      </>
    );

  return (
    <Dialog title={spec.title} description={spec.summary} onClose={onClose} dismissable={phase !== 'sending'} footer={footer} size="lg" testId="action-dialog" panelRef={panel}>
      {editing && (
        <form
          id="earn-action-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (phase === 'form') void askPreview();
          }}
        >
          <ActionFields spec={spec} form={form} onChange={setForm} errors={errors} view={view} disabled={phase === 'previewing'} />
        </form>
      )}
      {(phase === 'preview' || phase === 'sending') && preview && <PreviewPanel preview={preview} nativeSymbol={view.nativeSymbol} />}
      {phase === 'preview' && locked && (
        <Notice tone="warn" title="Unlock the wallet to confirm">
          <p>The preview sends nothing; confirming signs transactions, which needs the wallet unlocked.</p>
          <UnlockInline keychain={wallet?.keychain.enabled ?? false} />
        </Notice>
      )}
      {phase === 'sending' && preview && (
        <ProgressBar value={null} label="Sending and waiting for the network to confirm" detail={`${preview.steps.length} ${preview.steps.length === 1 ? 'transaction' : 'transactions'}`} />
      )}
      {failure && (
        <div data-testid="action-error">
          <Notice tone="error" title={failure.stage === 'preview' ? 'Hearth could not work out what this would do' : `${spec.title} did not go through`}>
            {failure.error.message}
          </Notice>
        </div>
      )}
      {phase === 'done' && (
        <div className="earn-done" data-testid="action-done">
          <Notice tone="info" title="Done: confirmed on the network">
            <p>The figures on the page are read again from the chain.</p>
          </Notice>
          {hashes.length > 0 && (
            <>
              <p className="earn-preview__lead">{hashes.length === 1 ? 'Transaction' : 'Transactions'}</p>
              <ol className="earn-hashes" aria-label="Transaction hashes">
                {hashes.map((hash) => (
                  <li key={hash}>
                    <code title={hash}>{shortHash(hash, 10)}</code>
                    <button type="button" className="btn btn--ghost btn--sm" aria-label={`${copied === hash ? 'Copied' : 'Copy'} transaction hash ${shortHash(hash)}`} onClick={() => void navigator.clipboard?.writeText(hash).then(() => setCopied(hash))}>
                      {copied === hash ? 'Copied' : 'Copy'}
                    </button>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}
