import type { ContractShape } from './define.ts';
import { appCalls, appEvents } from './groups/app.ts';
import { settingsCalls, settingsEvents } from './groups/settings.ts';
import { hardwareCalls, hardwareEvents } from './groups/hardware.ts';
import { walletCalls, walletEvents } from './groups/wallet.ts';
import { chainCalls, chainEvents } from './groups/chain.ts';
import { schedulerCalls, schedulerEvents } from './groups/scheduler.ts';
import { modelsCalls, modelsEvents } from './groups/models.ts';
import { workerCalls, workerEvents } from './groups/worker.ts';
import { marketCalls, marketEvents } from './groups/market.ts';
import { positionsCalls } from './groups/positions.ts';
import { updateCalls, updateEvents } from './groups/update.ts';
import { consoleCalls, consoleEvents } from './groups/console.ts';

/**
 * Every call and event between core and its callers. Each capability adds one group
 * file under groups/ and spreads it here; the dispatcher, client, preload allowlist
 * and CLI all derive from this one object.
 */
export const contract = {
  calls: {
    ...appCalls,
    ...settingsCalls,
    ...hardwareCalls,
    ...walletCalls,
    ...chainCalls,
    ...schedulerCalls,
    ...modelsCalls,
    ...workerCalls,
    ...marketCalls,
    ...positionsCalls,
    ...updateCalls,
    ...consoleCalls,
  },
  events: {
    ...appEvents,
    ...settingsEvents,
    ...hardwareEvents,
    ...walletEvents,
    ...chainEvents,
    ...schedulerEvents,
    ...modelsEvents,
    ...workerEvents,
    ...marketEvents,
    ...updateEvents,
    ...consoleEvents,
  },
} satisfies ContractShape;

export type HearthContract = typeof contract;
export const callNames = Object.keys(contract.calls) as (keyof HearthContract['calls'])[];
export const eventNames = Object.keys(contract.events) as (keyof HearthContract['events'])[];
