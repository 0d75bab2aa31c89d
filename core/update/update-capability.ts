/**
 * `update:*`: the app's own updates. The shell's updater checks, downloads and installs;
 * core decides *when* a restart may happen, because only core knows whether a paid job is
 * running — a restart then would throw away work someone paid for (and risk the penalty
 * for a missed deadline). A restart asked for during such a job waits for it to end.
 */
import { HearthError } from '../../common/errors.ts';
import type { UpdateState } from '../../common/ipc/groups/update.ts';
import type { AllHandlers, Capability, CapabilityContext } from '../capability.ts';
import type { TimerHandle } from '../ports.ts';

export const DAEMON_UPDATE_REASON =
  'The headless daemon does not update itself: update Hearth with your package manager, a new download or git pull.';
/** How often a waiting restart asks whether the paid job has ended. */
export const RESTART_POLL_MS = 2_000;

type UpdateHandlers = Pick<AllHandlers, 'update:status' | 'update:check' | 'update:restart'>;

export interface UpdateCapabilityDeps {
  /** True while a paid job is claimed and not yet committed (running, delivering, committing). */
  paidJobRunning: () => boolean;
}

export function createUpdateCapability(ctx: CapabilityContext, deps: UpdateCapabilityDeps) {
  const { ports, emit } = ctx;
  const updater = ports.updater;
  let restartPending = false;
  let poll: TimerHandle | undefined;
  let unsubscribe: (() => void) | undefined;

  const view = (): UpdateState => {
    if (!updater) return { state: 'unsupported', reason: ports.shell === 'daemon' ? DAEMON_UPDATE_REASON : 'This build of Hearth does not update itself.' };
    const state = updater.state();
    return state.state === 'ready' ? { ...state, waitingForJob: restartPending } : state;
  };
  const publish = (): void => emit('update:changed', view());

  const stopPolling = (): void => {
    if (poll !== undefined) ports.clock.clearInterval(poll);
    poll = undefined;
  };

  /** Installs once nothing paid is running; called at the request and then on each poll. */
  const installWhenFree = (): void => {
    if (!updater || !restartPending) return;
    if (updater.state().state !== 'ready') {
      // The download went away (an error, a newer check): nothing to restart into any more.
      restartPending = false;
      stopPolling();
      publish();
      return;
    }
    if (deps.paidJobRunning()) {
      poll ??= ports.clock.setInterval(installWhenFree, RESTART_POLL_MS);
      return;
    }
    restartPending = false;
    stopPolling();
    ports.logger.info('restarting to install the update');
    updater.install();
  };

  const handlers: UpdateHandlers = {
    'update:status': () => view(),
    'update:check': async () => {
      if (updater) await updater.check();
      return view();
    },
    'update:restart': () => {
      if (!updater) throw new HearthError('updates_unsupported', view().state === 'unsupported' ? DAEMON_UPDATE_REASON : 'Updates are not available here.');
      if (updater.state().state !== 'ready') {
        throw new HearthError('update_not_ready', 'No update has been downloaded yet. Check for updates and wait for the download to finish.');
      }
      restartPending = true;
      installWhenFree();
      const answer = view();
      if (restartPending) publish();
      return answer;
    },
  };

  return {
    handlers,
    start() {
      unsubscribe = updater?.subscribe(() => publish());
    },
    stop() {
      unsubscribe?.();
      stopPolling();
    },
    /** True while a restart waits for a paid job to end (the tray says so). */
    restartPending: () => restartPending,
  } satisfies Capability & Record<string, unknown>;
}
