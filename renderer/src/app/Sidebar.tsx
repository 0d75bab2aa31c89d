import type { PageEntry } from '../pages/registry.tsx';
import { useHearth } from '../state/context.tsx';
import { cx } from '../ui/cx.ts';
import { FlameIcon } from '../ui/icons.tsx';
import { hrefFor } from './router.ts';

function NavList({ items, current }: { items: readonly PageEntry[]; current: string }) {
  return (
    <ul className="nav__list">
      {items.map((page) => (
        <li key={page.id}>
          <a
            className={cx('nav__link', page.id === current && 'is-active')}
            href={hrefFor(page.id)}
            aria-current={page.id === current ? 'page' : undefined}
            data-nav={page.id}
            // The narrow layout (a small window, or text zoomed to 200 %) shows only the icon.
            title={page.title}
          >
            <span className="nav__icon">{page.icon}</span>
            <span className="nav__label">{page.title}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function Sidebar({ pages, current }: { pages: readonly PageEntry[]; current: string }) {
  const version = useHearth((state) => state.status?.version ?? null);
  return (
    <aside className="sidebar">
      <div className="sidebar__brand">
        <span className="brand-mark" aria-hidden="true">
          <FlameIcon size={18} />
        </span>
        <span className="brand-name">Hearth</span>
      </div>
      <nav className="nav" aria-label="Main">
        <NavList items={pages.filter((page) => page.group === 'main')} current={current} />
        <div className="nav__spacer" />
        <NavList items={pages.filter((page) => page.group === 'system')} current={current} />
      </nav>
      <div className="sidebar__footer">{version ? `Version ${version}` : '\u00a0'}</div>
    </aside>
  );
}
