import { useState } from 'react';
import { CPU_DEVICE_ID, deviceSettingsFor } from '../../../../../common/hardware.ts';
import { hrefFor } from '../../../app/router.ts';
import { useClient, useHearth } from '../../../state/context.tsx';
import { useCall } from '../../../state/hooks.ts';
import { useSetting } from '../../../state/settings.ts';
import { toCallError } from '../../../state/store.ts';
import { Button, NumberInput, Spinner, Toggle } from '../../../ui/index.ts';

interface DeviceRow {
  id: string;
  name: string;
  detail: string;
}

/** Step 3: which devices earn, and when this computer counts as free. */
export function RulesStep({ onDone, onLater }: { onDone: () => void; onLater: () => void }) {
  const client = useClient();
  const hw = useCall('hardware:list', {});
  const hardware = useHearth((s) => s.settings?.hardware);
  const idle = useSetting('scheduler', 'idleMinutes');
  const unknown = useSetting('scheduler', 'runWhenIdleUnknown');
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const inventory = hw.data?.inventory ?? null;
  const devices: DeviceRow[] = inventory
    ? [
        ...inventory.gpus
          .filter((g) => g.support.status !== 'unsupported')
          .map((g) => ({ id: g.id, name: g.name, detail: g.vramMiB ? `${Math.round(g.vramMiB / 1024)} GB video memory` : 'GPU' })),
        { id: CPU_DEVICE_ID, name: inventory.cpu.model, detail: `Processor, ${inventory.cpu.logicalCores} threads: earns much less than a GPU` },
      ]
    : [];

  const setEnabled = (id: string, enabled: boolean) => {
    setBusy(id);
    setErrors(({ [id]: _, ...rest }) => rest);
    client
      .call('hardware:configure', { deviceId: id, enabled })
      .catch((e: unknown) => setErrors((all) => ({ ...all, [id]: toCallError(e).message })))
      .finally(() => setBusy(null));
  };

  return (
    <div className="rules-step" data-testid="rules-step">
      <h4 className="onboarding__subhead">Devices that earn</h4>
      {inventory ? (
        <div className="field-list">
          {devices.map((d) => (
            <Toggle
              key={d.id}
              id={`onboarding-device-${d.id}`}
              label={d.name}
              help={d.detail}
              checked={deviceSettingsFor(hardware, d.id).enabled}
              busy={busy === d.id}
              error={errors[d.id] ?? null}
              onChange={(on) => setEnabled(d.id, on)}
            />
          ))}
        </div>
      ) : hw.error ? (
        <p className="muted">
          Hearth could not list the devices ({hw.error.message}). You can choose them later on the <a href={hrefFor('devices')}>Devices</a> page.
        </p>
      ) : (
        <div className="loading-row">
          <Spinner /> Looking for devices…
        </div>
      )}
      <h4 className="onboarding__subhead">When Hearth may work</h4>
      <div className="field-list">
        <NumberInput
          id="onboarding-idle"
          label="Start after I have been away for"
          help="Hearth only works when nobody has touched the keyboard or mouse for this long. Any key press gives the computer back within a fraction of a second, and games pause it."
          value={idle.value ?? 5}
          min={1}
          max={240}
          step={1}
          unit="min"
          busy={idle.saving}
          error={idle.error}
          onChange={(v) => {
            if (v !== null && v !== idle.value && Number.isInteger(v)) void idle.set(v);
          }}
        />
        <Toggle
          id="onboarding-unknown"
          label="Run when activity is unknown"
          help="For servers and mining rigs nobody sits at: if Hearth cannot see a keyboard or mouse at all, it works anyway. Leave it off on a computer people use."
          checked={unknown.value ?? false}
          busy={unknown.saving}
          error={unknown.error}
          onChange={(v) => void unknown.set(v)}
        />
      </div>
      <div className="onboarding__actions">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
        <Button variant="ghost" onClick={onLater}>
          Later
        </Button>
      </div>
    </div>
  );
}
