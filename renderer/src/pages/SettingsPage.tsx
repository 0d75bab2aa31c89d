import { useEffect } from 'react';
import { useHashRoute } from '../app/router.ts';
import { useHearth } from '../state/context.tsx';
import { Button, Card, Notice, PageHeader, Spinner } from '../ui/index.ts';
import { settingsSections } from './settings/sections.tsx';

export function SettingsPage() {
  const loaded = useHearth((state) => state.settings !== null);
  const error = useHearth((state) => state.settingsError);
  const reload = useHearth((state) => state.loadSettings);
  // `#/settings/market` (e.g. the Overview's "Change" link) opens at that section.
  const section = useHashRoute('settings').rest[0];
  useEffect(() => {
    if (loaded && section) document.getElementById(`settings-${section}`)?.scrollIntoView?.({ block: 'start' });
  }, [loaded, section]);

  return (
    <>
      <PageHeader title="Settings" description="Changes are saved as soon as you make them." />
      {error && (
        <Notice
          tone="error"
          title="Could not load settings"
          action={
            <Button size="sm" onClick={() => void reload()}>
              Try again
            </Button>
          }
        >
          {error.message}
        </Notice>
      )}
      {loaded ? (
        <div className="settings-sections">
          {settingsSections.map(({ id, title, description, component: Section }) => (
            <Card key={id} id={`settings-${id}`} title={title} description={description}>
              <div className="field-list">
                <Section />
              </div>
            </Card>
          ))}
        </div>
      ) : (
        !error && (
          <Card>
            <div className="loading-row">
              <Spinner /> Loading settings…
            </div>
          </Card>
        )
      )}
    </>
  );
}
