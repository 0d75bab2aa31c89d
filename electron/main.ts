// Entry of the desktop app (bundled to dist/electron/main.cjs). The wiring is in
// main-wiring.ts and the shell in desktop.ts; both take the electron module as an argument
// so they are tested with fakes typed against Electron's declarations.
import * as electron from 'electron';
import { createStderrLogger } from '../core/node-ports.ts';
import { runDesktop } from './main-wiring.ts';

runDesktop(electron, __dirname, createStderrLogger());
