// Entry of the desktop app (bundled to dist/electron/main.cjs). The wiring is in
// main-wiring.ts and the shell in desktop.ts; both take the electron module as an argument
// so they are tested with fakes typed against Electron's declarations.
import { setFlagsFromString } from 'node:v8';
import * as electron from 'electron';
import { createStderrLogger } from '../core/node-ports.ts';
import { runDesktop } from './main-wiring.ts';

// Main lives in the tray for days, mostly waiting: V8's smaller-heap heuristics, as the
// daemon uses (daemon/cli/commands/daemon.ts, measured there: 186 → 116 MB at rest).
setFlagsFromString('--optimize-for-size');
runDesktop(electron, __dirname, createStderrLogger());
