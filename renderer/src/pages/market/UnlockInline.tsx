import { useId, useState } from 'react';
import { useClient } from '../../state/context.tsx';
import { toCallError } from '../../state/store.ts';
import { Button } from '../../ui/index.ts';

/**
 * Unlocks the wallet where the user already is (a banner, a setup step) instead of
 * sending them to the Wallet page. The password lives only in this form's state.
 */
export function UnlockInline({ onUnlocked, keychain = false }: { onUnlocked?: () => void; keychain?: boolean }) {
  const client = useClient();
  const id = useId();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unlock = async (input: { password?: string; useKeychain?: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      await client.call('wallet:unlock', input);
      setPassword('');
      onUnlocked?.();
    } catch (failure) {
      setError(toCallError(failure).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="unlock-inline"
      onSubmit={(event) => {
        event.preventDefault();
        void unlock({ password });
      }}
    >
      <label className="visually-hidden" htmlFor={`${id}-password`}>
        Wallet password
      </label>
      <input
        id={`${id}-password`}
        className="input unlock-inline__input"
        type="password"
        autoComplete="current-password"
        placeholder="Wallet password"
        value={password}
        aria-invalid={error !== null || undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setPassword(event.target.value)}
      />
      <Button type="submit" variant="primary" size="sm" busy={busy} disabled={password.length === 0}>
        Unlock
      </Button>
      {keychain && (
        <Button size="sm" variant="ghost" disabled={busy} onClick={() => void unlock({ useKeychain: true })}>
          Use the keychain
        </Button>
      )}
      {error && (
        <p className="field__error unlock-inline__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
