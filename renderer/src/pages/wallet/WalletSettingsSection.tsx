import { useSetting } from '../../state/settings.ts';
import { NumberInput } from '../../ui/index.ts';

/** Settings → Wallet: how long the wallet stays unlocked and how many blocks confirm a transaction. */
export function WalletSettingsSection() {
  const autoLock = useSetting('wallet', 'autoLockMinutes');
  const confirmations = useSetting('wallet', 'confirmations');
  return (
    <>
      <NumberInput
        id="setting-wallet-auto-lock"
        label="Auto-lock after"
        help="The wallet forgets its key after this long without wallet use; unlocking needs the password again."
        unit="min"
        min={1}
        max={1440}
        step={1}
        value={autoLock.value ?? 15}
        busy={autoLock.saving}
        error={autoLock.error}
        onChange={(value) => {
          if (value !== null) void autoLock.set(value);
        }}
      />
      <NumberInput
        id="setting-wallet-confirmations"
        label="Confirmations"
        help="Blocks on top of a transaction before Hearth counts it as confirmed."
        min={1}
        max={64}
        step={1}
        value={confirmations.value ?? 1}
        busy={confirmations.saving}
        error={confirmations.error}
        onChange={(value) => {
          if (value !== null) void confirmations.set(value);
        }}
      />
    </>
  );
}
