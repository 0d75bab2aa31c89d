import { z } from 'zod';

/**
 * The scheduler's settings section and the starter list of programs that pause Hearth.
 * Pure zod, shared by core (which enforces it) and the renderer (which edits it).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekday>;

export const timeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'Use 24-hour time, like 08:30');

/** A window in which Hearth may work. An end before the start runs past midnight into the next day. */
export const scheduleWindow = z
  .object({ day: weekday, start: timeOfDay, end: timeOfDay })
  .strict()
  .refine((w) => w.start !== w.end, 'A window cannot start and end at the same time');
export type ScheduleWindow = z.infer<typeof scheduleWindow>;

/** A program name as it shows in the task list, e.g. "cs2.exe" or "steam_app_1091500". */
export const appName = z
  .string()
  .trim()
  .min(1, 'An app name cannot be empty')
  .max(100)
  .regex(/^[^\\/:*?"<>|]+$/, 'Use only the program file name, without a folder');

/**
 * Games and the processes launchers start only while a game runs. Launchers themselves
 * (Steam, Epic…) idle in the background all day, so they are not on it.
 */
export const STARTER_APP_LIST: readonly string[] = [
  // Steam/Proton, anti-cheat and overlays that live only as long as a game
  'gameoverlayui.exe', 'gameoverlayui64.exe', 'gamescope', 'wine64-preloader', 'EasyAntiCheat.exe', 'EasyAntiCheat_EOS.exe', 'BEService.exe',
  // Popular games
  'cs2.exe', 'cs2', 'csgo.exe', 'dota2.exe', 'dota2', 'VALORANT-Win64-Shipping.exe', 'League of Legends.exe', 'FortniteClient-Win64-Shipping.exe',
  'r5apex.exe', 'r5apex_dx12.exe', 'Overwatch.exe', 'RocketLeague.exe', 'GTA5.exe', 'PlayGTAV.exe', 'RDR2.exe', 'eldenring.exe',
  'Cyberpunk2077.exe', 'bg3.exe', 'bg3_dx11.exe', 'Starfield.exe', 'destiny2.exe', 'TslGame.exe', 'RainbowSix.exe', 'Wow.exe',
  'Diablo IV.exe', 'cod.exe', 'FC25.exe', 'Palworld-Win64-Shipping.exe', 'helldivers2.exe', 'witcher3.exe', 'RobloxPlayerBeta.exe',
  'javaw.exe', 'factorio', 'factorio.exe', 'hl2_linux', 'eurotrucks2', 'MonsterHunterWilds.exe', 'MarvelRivals-Win64-Shipping.exe',
  'Minecraft.Windows.exe', 'bf6.exe', 'bf2042.exe', 'ForzaHorizon5.exe', 'Warframe.x64.exe', 'PathOfExile.exe', 'PathOfExileSteam.exe',
];

export const pauseState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  /** Until a moment (ms since epoch): "for 1 hour", "until tomorrow". */
  z.object({ kind: z.literal('until'), until: z.number().int().nonnegative() }).strict(),
  z.object({ kind: z.literal('indefinite') }).strict(),
]);
export type PauseState = z.infer<typeof pauseState>;

export const batteryRule = z.enum(['never', 'above-level', 'always']);

export const schedulerSettings = z.object({
  /** Minutes without keyboard or mouse before work starts. */
  idleMinutes: z.number().min(1).max(240).default(5),
  /** Machines where Hearth cannot see input at all (servers, rigs): run anyway, or wait. */
  runWhenIdleUnknown: z.boolean().default(false),
  scheduleEnabled: z.boolean().default(false),
  schedule: z.array(scheduleWindow).max(50).default([]),
  maxGpuTempC: z.number().int().min(50).max(100).default(80),
  /** Watts; null means no limit of Hearth's own (the card's own limit still applies). */
  maxGpuPowerW: z.number().int().min(10).max(2000).nullable().default(null),
  battery: batteryRule.default('never'),
  minBatteryPct: z.number().int().min(10).max(100).default(50),
  blockApps: z.array(appName).max(300).default([...STARTER_APP_LIST]),
  pauseForFullscreen: z.boolean().default(true),
  pauseWhenGpuBusy: z.boolean().default(true),
  /** When you come back mid-job: let it finish, then pause (off: give the machine back at once). */
  finishJobThenPause: z.boolean().default(false),
  /** Wait this long after a pause reason clears before starting again, so Hearth does not flap. */
  cooldownSeconds: z.number().int().min(0).max(3600).default(60),
  /** The user's pause; kept in settings so it survives a restart. */
  pause: pauseState.default({ kind: 'none' }),
});
export type SchedulerSettings = z.output<typeof schedulerSettings>;

/** An update to the section; spelled out without defaults so omitted fields stay as they are. */
export const schedulerSettingsPatch = z
  .object({
    idleMinutes: z.number().min(1).max(240).optional(),
    runWhenIdleUnknown: z.boolean().optional(),
    scheduleEnabled: z.boolean().optional(),
    schedule: z.array(scheduleWindow).max(50).optional(),
    maxGpuTempC: z.number().int().min(50).max(100).optional(),
    maxGpuPowerW: z.number().int().min(10).max(2000).nullable().optional(),
    battery: batteryRule.optional(),
    minBatteryPct: z.number().int().min(10).max(100).optional(),
    blockApps: z.array(appName).max(300).optional(),
    pauseForFullscreen: z.boolean().optional(),
    pauseWhenGpuBusy: z.boolean().optional(),
    finishJobThenPause: z.boolean().optional(),
    cooldownSeconds: z.number().int().min(0).max(3600).optional(),
    pause: pauseState.optional(),
  })
  .strict();
