import { deviceSettingsFor } from '../../../../common/hardware.ts';
import { useClient, useHearth } from '../../state/context.tsx';
import { toCallError } from '../../state/store.ts';
import { NumberInput, Toggle } from '../../ui/index.ts';
import { useState } from 'react';

/** Per-device "use for earning" toggle and VRAM cap, saved in settings through core. */
export function DeviceControls({ deviceId, disabledReason, vramMiB }: { deviceId: string; disabledReason: string | null; vramMiB: number | null }) {
  const client = useClient();
  const hardware = useHearth((s) => s.settings?.hardware);
  const current = deviceSettingsFor(hardware, deviceId);
  const [busy, setBusy] = useState<'enabled' | 'cap' | null>(null);
  const [error, setError] = useState<{ field: 'enabled' | 'cap'; message: string } | null>(null);
  const save = (field: 'enabled' | 'cap', patch: { enabled?: boolean; vramCapMiB?: number | null }) => {
    setBusy(field);
    setError(null);
    client
      .call('hardware:configure', { deviceId, ...patch })
      .catch((e: unknown) => setError({ field, message: toCallError(e).message }))
      .finally(() => setBusy(null));
  };
  const capGiB = current.vramCapMiB === null ? null : Math.round((current.vramCapMiB / 1024) * 10) / 10;
  const maxGiB = vramMiB ? Math.floor(vramMiB / 1024) : 1024;
  return (
    <div className="field-list device-controls">
      <Toggle
        id={`device-enabled-${deviceId}`}
        label="Use for earning"
        help={disabledReason ?? 'When off, Hearth never runs jobs on this device.'}
        checked={disabledReason === null && current.enabled}
        disabled={disabledReason !== null}
        busy={busy === 'enabled'}
        error={error?.field === 'enabled' ? error.message : null}
        onChange={(enabled) => save('enabled', { enabled })}
      />
      {vramMiB !== null && disabledReason === null && (
        <NumberInput
          id={`device-vram-cap-${deviceId}`}
          label="Video memory cap"
          help="The most video memory a job may use, so your own apps keep room. Empty means no cap."
          value={capGiB}
          min={1}
          max={Math.max(1, maxGiB)}
          step={0.5}
          unit="GiB"
          busy={busy === 'cap'}
          error={error?.field === 'cap' ? error.message : null}
          onChange={(gibValue) => {
            const mib = gibValue === null ? null : Math.round(gibValue * 1024);
            if (mib === current.vramCapMiB || (mib !== null && mib < 256)) return;
            save('cap', { vramCapMiB: mib });
          }}
        />
      )}
    </div>
  );
}
