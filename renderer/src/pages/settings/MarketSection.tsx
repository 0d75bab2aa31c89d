import { useEffect, useState } from 'react';
import { decimalText } from '../../../../common/settings.ts';
import { useSetting, type SettingField } from '../../state/settings.ts';
import { TextInput, Toggle } from '../../ui/index.ts';
import { TOKEN_SYMBOL } from '../market/format.ts';

/** A decimal token amount typed as text: checked as typed, saved on leaving the box or Enter. */
function DecimalSetting({
  id,
  label,
  help,
  unit,
  field,
  optional = false,
}: {
  id: string;
  label: string;
  help: string;
  unit: string;
  field: SettingField<string> | SettingField<string | null>;
  optional?: boolean;
}) {
  const saved = field.value ?? '';
  const [draft, setDraft] = useState(saved ?? '');
  useEffect(() => setDraft(saved ?? ''), [saved]);
  const trimmed = draft.trim();
  const problem = trimmed === '' ? (optional ? null : 'Enter an amount, for example 0.002 (0 takes any price).') : decimalText.safeParse(trimmed).success ? null : `Enter a plain decimal amount such as 0.002, with up to 18 decimals.`;
  const save = () => {
    if (problem) return;
    const next = trimmed === '' ? null : trimmed;
    if (next === (field.value ?? null)) return;
    void (field.set as (v: string | null) => Promise<boolean>)(next);
  };
  return (
    <div className="decimal-setting">
      <TextInput
        id={id}
        label={`${label} (${unit})`}
        help={help}
        inputMode="decimal"
        autoComplete="off"
        value={draft}
        busy={field.saving}
        error={problem ?? field.error}
        placeholder={optional ? 'Not set' : '0'}
        onChange={setDraft}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === 'Enter') save();
        }}
      />
    </div>
  );
}

/** Paid work: on or off, the lowest price Hearth takes, the power price, and reward claiming. */
export function MarketSection() {
  const enabled = useSetting('market', 'enabled');
  const minPrice = useSetting('market', 'minPricePerUnit');
  const electricity = useSetting('market', 'electricityPerKwh');
  const claim = useSetting('market', 'claimRewards');
  return (
    <>
      <Toggle
        id="setting-market-enabled"
        label="Take paid jobs"
        help="Off: Hearth takes no jobs from the market and runs practice work only. Your stake stays where it is."
        checked={enabled.value ?? true}
        busy={enabled.saving}
        error={enabled.error}
        onChange={(v) => void enabled.set(v)}
      />
      <DecimalSetting
        id="setting-market-min-price"
        label="Lowest price per unit"
        unit={`${TOKEN_SYMBOL} per unit`}
        help="A unit is one inference in a job's batch. Hearth declines jobs that pay less than this per unit; 0 takes any price."
        field={minPrice}
      />
      <DecimalSetting
        id="setting-market-electricity"
        label="Electricity price"
        unit={`${TOKEN_SYMBOL} per kWh`}
        help="What a kWh costs you, in tokens. With each device's power draw Hearth skips jobs that would cost more in power than they pay, and shows earnings after electricity. Leave empty to ignore power costs."
        field={electricity}
        optional
      />
      <Toggle
        id="setting-market-claim"
        label="Claim staking rewards automatically"
        help="Hearth claims rewards when they are worth more than the network fee of claiming."
        checked={claim.value ?? true}
        busy={claim.saving}
        error={claim.error}
        onChange={(v) => void claim.set(v)}
      />
    </>
  );
}
