import { useEffect, useState } from 'react';
import { STARTER_APP_LIST, WEEKDAYS, appName, scheduleWindow, type ScheduleWindow, type Weekday } from '../../../../common/scheduler.ts';
import { useSetting } from '../../state/settings.ts';
import { Button, Field, NumberInput, Select, Toggle, type SelectOption } from '../../ui/index.ts';

const batteryOptions: readonly SelectOption<'never' | 'above-level' | 'always'>[] = [
  { value: 'never', label: 'Never work on battery' },
  { value: 'above-level', label: 'Only above a battery level' },
  { value: 'always', label: 'Also on battery' },
];
const dayNames: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const dayOptions: readonly SelectOption<Weekday>[] = WEEKDAYS.map((d) => ({ value: d, label: dayNames[d] }));

/** Saves a number only when it parses and changed (NumberInput already refuses out-of-range text). */
function numberSaver<T extends number>(current: T | undefined, set: (v: T) => Promise<boolean>) {
  return (value: number | null) => {
    if (value !== null && value !== current) void set(value as T);
  };
}

/** When and how Hearth may use this computer: idle time, limits, battery, apps, schedule. */
export function SchedulerSection() {
  const idle = useSetting('scheduler', 'idleMinutes');
  const unknown = useSetting('scheduler', 'runWhenIdleUnknown');
  const finish = useSetting('scheduler', 'finishJobThenPause');
  const temp = useSetting('scheduler', 'maxGpuTempC');
  const power = useSetting('scheduler', 'maxGpuPowerW');
  const battery = useSetting('scheduler', 'battery');
  const minBattery = useSetting('scheduler', 'minBatteryPct');
  const fullscreen = useSetting('scheduler', 'pauseForFullscreen');
  const gpuBusy = useSetting('scheduler', 'pauseWhenGpuBusy');
  const cooldown = useSetting('scheduler', 'cooldownSeconds');

  return (
    <>
      <NumberInput
        id="setting-scheduler-idle"
        label="Start after I have been away for"
        help="Hearth works only when nobody has touched the keyboard or mouse for this long. Locking the screen counts as away at once; any key press gives the computer back within a fraction of a second."
        value={idle.value ?? 5}
        min={1}
        max={240}
        unit="min"
        busy={idle.saving}
        error={idle.error}
        onChange={numberSaver(idle.value, idle.set)}
      />
      <Toggle
        id="setting-scheduler-finish"
        label="Let a job finish when I come back"
        help="Off: Hearth stops at once when you return. On: it finishes the job it is running (longer jobs pay more), then pauses. Heat, games and battery still stop it at once."
        checked={finish.value ?? false}
        busy={finish.saving}
        error={finish.error}
        onChange={(v) => void finish.set(v)}
      />
      <Toggle
        id="setting-scheduler-unknown"
        label="Run when activity is unknown"
        help="For servers and mining rigs nobody sits at: if Hearth cannot see a keyboard or mouse at all, work anyway. Leave off on a computer people use."
        checked={unknown.value ?? false}
        busy={unknown.saving}
        error={unknown.error}
        onChange={(v) => void unknown.set(v)}
      />
      <NumberInput
        id="setting-scheduler-temp"
        label="Pause when the GPU is hotter than"
        help="Hearth stops when a GPU passes this temperature and starts again once it is 5 °C cooler."
        value={temp.value ?? 80}
        min={50}
        max={100}
        step={1}
        unit="°C"
        busy={temp.saving}
        error={temp.error}
        onChange={numberSaver(temp.value, temp.set)}
      />
      <Toggle
        id="setting-scheduler-power-limit"
        label="Limit GPU power"
        help="Pause when the GPU draws more than a number of watts you choose (it starts again 10 % below)."
        checked={power.value !== null && power.value !== undefined}
        busy={power.saving}
        error={power.error}
        onChange={(on) => void power.set(on ? 250 : null)}
      />
      {power.value !== null && power.value !== undefined && (
        <NumberInput
          id="setting-scheduler-power"
          label="Most power the GPU may draw"
          value={power.value}
          min={10}
          max={2000}
          step={1}
          unit="W"
          busy={power.saving}
          onChange={numberSaver(power.value, power.set)}
        />
      )}
      <Select
        id="setting-scheduler-battery"
        label="On battery"
        help="Laptops: working on battery drains it fast. Plugged in, the battery rule does nothing."
        value={battery.value ?? 'never'}
        options={batteryOptions}
        busy={battery.saving}
        error={battery.error}
        onChange={(v) => void battery.set(v)}
      />
      {battery.value === 'above-level' && (
        <NumberInput
          id="setting-scheduler-min-battery"
          label="Only while the battery is above"
          value={minBattery.value ?? 50}
          min={10}
          max={100}
          step={1}
          unit="%"
          busy={minBattery.saving}
          error={minBattery.error}
          onChange={numberSaver(minBattery.value, minBattery.set)}
        />
      )}
      <Toggle
        id="setting-scheduler-fullscreen"
        label="Pause for fullscreen apps"
        help="Films, presentations and games in fullscreen pause Hearth, where your system lets Hearth see them (X11 on Linux today)."
        checked={fullscreen.value ?? true}
        busy={fullscreen.saving}
        error={fullscreen.error}
        onChange={(v) => void fullscreen.set(v)}
      />
      <Toggle
        id="setting-scheduler-gpu-busy"
        label="Pause when another program computes on the GPU"
        help="Rendering, video export or another AI app on the GPU pauses Hearth. Your desktop and browser do not count."
        checked={gpuBusy.value ?? true}
        busy={gpuBusy.saving}
        error={gpuBusy.error}
        onChange={(v) => void gpuBusy.set(v)}
      />
      <NumberInput
        id="setting-scheduler-cooldown"
        label="Wait before starting again"
        help="After a game closes or the GPU cools, Hearth waits this long so it does not start and stop over and over."
        value={cooldown.value ?? 60}
        min={0}
        max={3600}
        step={1}
        unit="s"
        busy={cooldown.saving}
        error={cooldown.error}
        onChange={numberSaver(cooldown.value, cooldown.set)}
      />
      <AppListEditor />
      <ScheduleEditor />
    </>
  );
}

function AppListEditor() {
  const apps = useSetting('scheduler', 'blockApps');
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const list = apps.value ?? [];
  // The starter list is long; the newest entries (the user's own) are the interesting ones.
  const shown = showAll || list.length <= 12 ? list : list.slice(-12);
  const add = () => {
    const parsed = appName.safeParse(draft);
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? 'That is not a program name.');
    if (list.some((a) => a.toLowerCase() === parsed.data.toLowerCase())) return setProblem(`${parsed.data} is already on the list.`);
    setProblem(null);
    setDraft('');
    void apps.set([...list, parsed.data]);
  };
  return (
    <Field
      id="setting-scheduler-apps"
      label="Pause while these programs run"
      help="Games and anything else you never want slowed down. Use the program's file name as your task manager shows it, e.g. cs2.exe; “.exe” and upper or lower case do not matter."
      error={problem ?? apps.error}
    >
      {(control) => (
        <div className="schedule-list">
          <div className="app-chips" role="group" aria-label="Programs that pause Hearth">
            {shown.map((app) => (
              <span key={app} className="app-chip">
                {app}
                <button type="button" aria-label={`Remove ${app}`} onClick={() => void apps.set(list.filter((a) => a !== app))}>
                  ×
                </button>
              </span>
            ))}
            {shown.length < list.length && (
              <Button variant="ghost" size="sm" onClick={() => setShowAll(true)}>
                Show all {list.length}
              </Button>
            )}
          </div>
          <div className="schedule-row">
            <input
              {...control}
              className="input"
              placeholder="game.exe"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && add()}
            />
            <Button onClick={add} busy={apps.saving}>
              Add
            </Button>
            <Button variant="ghost" onClick={() => void apps.set([...STARTER_APP_LIST])}>
              Restore the starter list
            </Button>
          </div>
        </div>
      )}
    </Field>
  );
}

function ScheduleEditor() {
  const enabled = useSetting('scheduler', 'scheduleEnabled');
  const schedule = useSetting('scheduler', 'schedule');
  const [rows, setRows] = useState<ScheduleWindow[]>(schedule.value ?? []);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setRows(schedule.value ?? []), [schedule.value]);
  const save = (next: ScheduleWindow[]) => {
    setRows(next);
    for (const [i, row] of next.entries()) {
      const parsed = scheduleWindow.safeParse(row);
      if (!parsed.success) return setProblem(`Window ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    setProblem(null);
    void schedule.set(next);
  };
  const change = (i: number, patch: Partial<ScheduleWindow>) => save(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <>
      <Toggle
        id="setting-scheduler-schedule-on"
        label="Work only in these hours"
        help="Off: any time you are away. On: only inside the windows below (your computer's local time). A window ending before it starts runs past midnight."
        checked={enabled.value ?? false}
        busy={enabled.saving}
        error={enabled.error}
        onChange={(v) => void enabled.set(v)}
      />
      {enabled.value && (
        <div className="schedule-list" data-testid="schedule-windows">
          {rows.length === 0 && <p className="muted">No windows yet: Hearth will not work until you add one.</p>}
          {rows.map((row, i) => (
            <div className="schedule-window" key={i}>
              <div className="select">
                <select
                  id={`schedule-day-${i}`}
                  aria-label={`Window ${i + 1}: day`}
                  className="select__native"
                  value={row.day}
                  onChange={(e) => change(i, { day: e.target.value as Weekday })}
                >
                  {dayOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </div>
              <span className="muted">from</span>
              <input
                id={`schedule-start-${i}`}
                aria-label={`Window ${i + 1}: from`}
                className="input"
                type="time"
                value={row.start}
                onChange={(e) => change(i, { start: e.target.value })}
              />
              <span className="muted">to</span>
              <input
                id={`schedule-end-${i}`}
                aria-label={`Window ${i + 1}: to`}
                className="input"
                type="time"
                value={row.end}
                onChange={(e) => change(i, { end: e.target.value })}
              />
              <Button variant="ghost" size="sm" onClick={() => save(rows.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </div>
          ))}
          {problem && (
            <p className="field__error" role="alert">
              {problem}
            </p>
          )}
          <div className="schedule-row">
            <Button onClick={() => save([...rows, { day: 'mon', start: '22:00', end: '07:00' }])}>Add a window</Button>
            <Button variant="ghost" onClick={() => save(WEEKDAYS.map((day) => ({ day, start: '22:00', end: '07:00' })))}>
              Every night 22:00–07:00
            </Button>
          </div>
        </div>
      )}
    </>
  );
}
