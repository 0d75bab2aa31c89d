import { useId, useRef, useState, type RefObject } from 'react';
import { Button, Card, Notice, Select, TextInput, useRefocus } from '../../ui/index.ts';
import { useClient } from '../../state/context.tsx';
import type { WalletData } from './use-wallet.ts';

type Mode = 'create' | 'import';
type ImportKind = 'mnemonic' | 'privateKey' | 'keystore';

/** No wallet yet: create one (mnemonic shown once, then confirmed) or import one. */
export function SetupCard({ data }: { data: WalletData }) {
  const [mode, setMode] = useState<Mode>('create');
  const ids = useId();
  const tabId = (m: Mode) => `${ids}-tab-${m}`;
  // ARIA tabs: one tab stop for the pair, arrow keys switch between them.
  const tab = (m: Mode, label: string) => (
    <Button
      size="sm"
      variant={mode === m ? 'primary' : 'ghost'}
      role="tab"
      id={tabId(m)}
      aria-selected={mode === m}
      aria-controls={`${ids}-panel`}
      tabIndex={mode === m ? 0 : -1}
      onClick={() => setMode(m)}
    >
      {label}
    </Button>
  );
  return (
    <Card
      title="Set up your wallet"
      description="Hearth pays your earnings into this wallet. Its key is encrypted with your password and never leaves this computer."
      actions={
        <div
          className="wallet-tabs"
          role="tablist"
          aria-label="Set up"
          onKeyDown={(event) => {
            if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft' && event.key !== 'Home' && event.key !== 'End') return;
            event.preventDefault();
            // Two tabs: every arrow goes to the other one; Home and End to the first and last.
            const next: Mode = event.key === 'Home' ? 'create' : event.key === 'End' ? 'import' : mode === 'create' ? 'import' : 'create';
            setMode(next);
            document.getElementById(tabId(next))?.focus();
          }}
        >
          {tab('create', 'Create new')}
          {tab('import', 'Import')}
        </div>
      }
    >
      <div id={`${ids}-panel`} role="tabpanel" aria-labelledby={tabId(mode)}>
        {mode === 'create' ? <CreateFlow data={data} /> : <ImportForm data={data} />}
      </div>
    </Card>
  );
}

function passwordProblem(password: string, repeat: string): string | null {
  if (password.length > 0 && password.length < 8) return 'Use at least 8 characters.';
  if (repeat.length > 0 && repeat !== password) return 'The two passwords differ.';
  return null;
}

function CreateFlow({ data }: { data: WalletData }) {
  const client = useClient();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [phrase, setPhrase] = useState<string[] | null>(null);
  const [confirmWords, setConfirmWords] = useState<number[]>([]);
  const [step, setStep] = useState<'password' | 'show' | 'confirm'>('password');
  const [answers, setAnswers] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const problem = passwordProblem(password, repeat);
  // Each step replaces the last one's controls: focus goes to the new step (the phrase itself,
  // so it is read out, or the first field to type in) instead of falling to <body>.
  const stepRoot = useRef<HTMLElement>(null);
  useRefocus(step, stepRoot, () => (step === 'show' ? stepRoot.current : stepRoot.current?.querySelector('input')));

  const start = async () => {
    const result = await data.run('create', () => client.call('wallet:create', { password }));
    if (result.error) return setError(result.error.message);
    setPhrase(result.value!.mnemonic.split(' '));
    setConfirmWords(result.value!.confirmWords);
    setAnswers(result.value!.confirmWords.map(() => ''));
    setError(null);
    setStep('show');
  };
  const confirm = async () => {
    const result = await data.run('confirm', () => client.call('wallet:confirm', { words: answers }));
    if (result.error) return setError(result.error.message);
    // The phrase is dropped from memory here: it is never shown again.
    setPhrase(null);
    setPassword('');
    setRepeat('');
  };
  const cancel = async () => {
    await data.run('cancel', () => client.call('wallet:cancel-create', {}));
    setPhrase(null);
    setStep('password');
  };

  if (step === 'password') {
    return (
      <form
        ref={stepRoot as RefObject<HTMLFormElement>}
        className="wallet-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <TextInput label="Wallet password" type="password" autoComplete="new-password" value={password} onChange={setPassword} help="Needed to unlock the wallet and to send. Hearth cannot recover it." />
        <TextInput label="Repeat password" type="password" autoComplete="new-password" value={repeat} onChange={setRepeat} error={problem} />
        {error && <Notice tone="error">{error}</Notice>}
        <div className="wallet-actions">
          <Button type="submit" variant="primary" busy={data.busy === 'create'} disabled={password.length < 8 || repeat !== password}>
            Create wallet
          </Button>
        </div>
      </form>
    );
  }
  if (step === 'show' && phrase) {
    return (
      <div className="wallet-form" ref={stepRoot as RefObject<HTMLDivElement>} tabIndex={-1}>
        <Notice tone="warn" title="Write these 12 words down, in order">
          They are the only way to restore this wallet if this computer is lost. Hearth shows them this once. Anyone who has them can take your funds.
        </Notice>
        <ol className="mnemonic-grid" aria-label="Recovery phrase">
          {phrase.map((word, i) => (
            <li key={i}>
              <span className="mnemonic-grid__n">{i + 1}</span>
              <span className="mnemonic-grid__word">{word}</span>
            </li>
          ))}
        </ol>
        <div className="wallet-actions">
          <Button variant="ghost" onClick={() => void cancel()}>
            Cancel
          </Button>
          <Button variant="primary" onClick={() => setStep('confirm')}>
            I wrote them down
          </Button>
        </div>
      </div>
    );
  }
  return (
    <form
      ref={stepRoot as RefObject<HTMLFormElement>}
      className="wallet-form"
      onSubmit={(event) => {
        event.preventDefault();
        void confirm();
      }}
    >
      <p className="wallet-muted">Check your copy: type the words you wrote down at these positions.</p>
      {confirmWords.map((index, k) => (
        <TextInput
          key={index}
          label={`Word ${index + 1}`}
          autoComplete="off"
          spellCheck={false}
          value={answers[k] ?? ''}
          onChange={(value) => setAnswers((list) => list.map((w, j) => (j === k ? value : w)))}
        />
      ))}
      {error && <Notice tone="error">{error}</Notice>}
      <div className="wallet-actions">
        <Button variant="ghost" onClick={() => setStep('show')}>
          Show the words again
        </Button>
        <Button type="submit" variant="primary" busy={data.busy === 'confirm'} disabled={answers.some((w) => w.trim() === '')}>
          Confirm and save wallet
        </Button>
      </div>
    </form>
  );
}

const importKinds = [
  { value: 'mnemonic', label: 'Recovery phrase (12–24 words)' },
  { value: 'privateKey', label: 'Private key' },
  { value: 'keystore', label: 'Keystore file (JSON)' },
] as const;

function ImportForm({ data }: { data: WalletData }) {
  const client = useClient();
  const [kind, setKind] = useState<ImportKind>('mnemonic');
  const [secret, setSecret] = useState('');
  const [keystorePassword, setKeystorePassword] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const problem = passwordProblem(password, repeat);

  const submit = async () => {
    const input =
      kind === 'mnemonic'
        ? { kind, mnemonic: secret, password }
        : kind === 'privateKey'
          ? { kind, privateKey: secret, password }
          : { kind, json: secret, keystorePassword, password };
    const result = await data.run('import', () => client.call('wallet:import', input));
    if (result.error) return setError(result.error.message);
    setSecret('');
    setKeystorePassword('');
  };

  return (
    <form
      className="wallet-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Select label="What do you have?" value={kind} options={importKinds} onChange={(value) => setKind(value)} />
      {kind === 'keystore' ? (
        <>
          <label className="field__label" htmlFor="keystore-file">
            Keystore file
          </label>
          <input
            id="keystore-file"
            className="input"
            type="file"
            accept=".json,application/json"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then(setSecret);
            }}
          />
          <TextInput label="Keystore password" type="password" value={keystorePassword} onChange={setKeystorePassword} />
        </>
      ) : (
        <TextInput
          label={kind === 'mnemonic' ? 'Recovery phrase' : 'Private key'}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={secret}
          onChange={setSecret}
        />
      )}
      <TextInput label="New wallet password" type="password" autoComplete="new-password" value={password} onChange={setPassword} />
      <TextInput label="Repeat new password" type="password" autoComplete="new-password" value={repeat} onChange={setRepeat} error={problem} />
      {error && <Notice tone="error">{error}</Notice>}
      <div className="wallet-actions">
        <Button type="submit" variant="primary" busy={data.busy === 'import'} disabled={secret.trim() === '' || password.length < 8 || repeat !== password}>
          Import wallet
        </Button>
      </div>
    </form>
  );
}
