/**
 * core's Notifier on the desktop: the OS's notifications through Electron, logged too so
 * a notification the OS hides (focus assist, do-not-disturb) is still on record. Which
 * ones are sent, and how often, is decided in core (core/notifications/rules.ts).
 */
import type * as Electron from 'electron';
import type { Logger, Notifier } from '../core/ports.ts';

export interface NotificationEdges {
  Notification: Pick<typeof Electron.Notification, 'isSupported'> & {
    new (options: Electron.NotificationConstructorOptions): Pick<Electron.Notification, 'show'>;
  };
}

export function desktopNotifier(edges: NotificationEdges, logger: Logger): Notifier {
  return {
    notify(note) {
      logger.info('notification', { title: note.title, body: note.body });
      if (!edges.Notification.isSupported()) return;
      new edges.Notification({ title: note.title, body: note.body, silent: false }).show();
    },
  };
}
