// Fakes of the electron module's edges used by the tray, the notifier and the login item,
// each typed against electron's own declarations so a change there fails to compile here.
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import type { EventListener, Provider } from '../../core/provider.ts';
import { contract } from '../../common/ipc/contract.ts';
import type { Envelope } from '../../common/ipc/define.ts';
import type { TrayEdges, TrayHandle } from '../tray.ts';

export class FakeMenu extends EventEmitter implements Electron.Menu {
  items: Electron.MenuItem[] = [];
  constructor(readonly template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[]) {
    super();
  }
  append(): void {}
  closePopup(): void {}
  getMenuItemById(): Electron.MenuItem | null {
    return null;
  }
  insert(): void {}
  popup(): void {}
}

export function fakeTrayEdges(dark = false) {
  const trays: FakeTray[] = [];
  const menus: FakeMenu[] = [];
  class FakeTray extends EventEmitter implements TrayHandle {
    image: string;
    tooltip = '';
    menu: Electron.Menu | null = null;
    destroyed = false;
    constructor(image: string) {
      super();
      this.image = image;
      trays.push(this);
    }
    setImage(image: Electron.NativeImage | string): void {
      this.image = typeof image === 'string' ? image : 'a native image';
    }
    setToolTip(toolTip: string): void {
      this.tooltip = toolTip;
    }
    setContextMenu(menu: Electron.Menu | null): void {
      this.menu = menu;
    }
    destroy(): void {
      this.destroyed = true;
    }
  }
  const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: dark, shouldUseDarkColorsForSystemIntegratedUI: dark });
  const edges: TrayEdges = {
    Tray: FakeTray,
    Menu: {
      buildFromTemplate: (template) => {
        const menu = new FakeMenu(template);
        menus.push(menu);
        return menu;
      },
    },
    nativeTheme,
  };
  return { edges, trays, menus, nativeTheme };
}

/** Clicks the menu item with `id` as Electron would (the tray's handlers take no arguments). */
export function clickItem(template: readonly (Electron.MenuItemConstructorOptions | Electron.MenuItem)[], id: string): void {
  const item = template.find((i) => i.id === id);
  if (!item?.click) throw new Error(`no clickable item ${id}`);
  Reflect.apply(item.click, undefined, []);
}

/**
 * Core as the shell sees it: dispatch answers from a table after checking the payload
 * against the real contract (so a malformed call from the tray fails the test), and events
 * can be pushed.
 */
export function fakeCore(answers: Record<string, (payload: unknown) => unknown>) {
  const calls: { channel: string; payload: unknown }[] = [];
  const listeners = new Set<EventListener>();
  const core: Pick<Provider, 'dispatch' | 'onEvent'> = {
    async dispatch(channel, payload): Promise<Envelope> {
      if (typeof channel !== 'string' || !Object.hasOwn(contract.calls, channel)) return { ok: false, code: 'unknown_channel', message: String(channel) };
      const spec = contract.calls[channel as keyof typeof contract.calls];
      const input = spec.input.safeParse(payload);
      if (!input.success) throw new Error(`the shell sent ${channel} a malformed payload: ${JSON.stringify(payload)}`);
      calls.push({ channel, payload: input.data });
      const answer = answers[channel];
      if (!answer) return { ok: false, code: 'unavailable', message: `${channel} is not part of this test` };
      return { ok: true, value: answer(input.data) };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { core, calls, emit: (...args: Parameters<EventListener>) => listeners.forEach((l) => l(...args)) };
}
