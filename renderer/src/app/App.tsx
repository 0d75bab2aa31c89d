import { useEffect, useRef } from 'react';
import { useHearth } from '../state/context.tsx';
import { useThemeFromSettings } from '../state/theme.ts';
import { DEFAULT_PAGE, findPage, pages } from '../pages/registry.tsx';
import { useHashRoute } from './router.ts';
import { Sidebar } from './Sidebar.tsx';
import { TopBar } from './TopBar.tsx';
import { ConnectionBanner, UnauthorizedScreen } from './ConnectionScreens.tsx';
import { UpdateBanner } from './UpdateBanner.tsx';
import { Announcer } from './Announcer.tsx';

/** The app shell: sidebar, top bar with the connection state, and the current page. */
export function App() {
  useThemeFromSettings();
  const connection = useHearth((state) => state.connection);
  const route = useHashRoute(DEFAULT_PAGE);
  const page = findPage(route.page);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    document.title = `${page.title} · Hearth`;
    // Move focus to the new page's heading so keyboard and screen-reader users land there,
    // but not on first load, where focus belongs to the browser.
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('[data-page-title]');
    heading?.focus();
  }, [page]);

  if (connection === 'unauthorized') return <UnauthorizedScreen />;

  const Page = page.component;
  return (
    <div className="app">
      {/* The first stop for Tab: past the sidebar's seven links to the page. An anchor to #main
          would be taken as a route by the hash router, so it moves focus itself. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          (mainRef.current?.querySelector<HTMLElement>('[data-page-title]') ?? mainRef.current)?.focus();
        }}
      >
        Skip to content
      </a>
      <Announcer />
      <Sidebar pages={pages} current={page.id} />
      <div className="app__column">
        <TopBar title={page.title} />
        <ConnectionBanner />
        <UpdateBanner />
        <main className="app__main" ref={mainRef} id="main" tabIndex={-1} data-page={page.id}>
          <div className="app__content">
            <Page key={page.id} />
          </div>
        </main>
      </div>
    </div>
  );
}
