/** Electron IPC channel names; only these two carry the whole contract. */
export const CALL_CHANNEL = 'hearth:call';
export const EVENT_CHANNEL = 'hearth:event';
