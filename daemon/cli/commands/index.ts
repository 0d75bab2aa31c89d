import type { CliCommand } from '../command.ts';
import { benchCommand } from './bench.ts';
import { daemonCommand } from './daemon.ts';
import { devicesCommand } from './devices.ts';
import { inferCommand } from './infer.ts';
import { positionsCommand } from './positions.ts';
import { requestCommand } from './request.ts';
import { statusCommand } from './status.ts';
import { schedulerCommand } from './scheduler.ts';
import { urlCommand } from './url.ts';

/** Every `hearth <name>` subcommand; capabilities add theirs here. */
export const commands: CliCommand[] = [daemonCommand, urlCommand, statusCommand, positionsCommand, devicesCommand, inferCommand, requestCommand, benchCommand, schedulerCommand];
