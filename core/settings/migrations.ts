/**
 * Numbered migrations of the settings file. `migrations[n]` turns a version-n document
 * into version n+1. They work on plain JSON because old files do not match today's schema.
 */
export type RawSettings = Record<string, unknown>;

export const migrations: Record<number, (raw: RawSettings) => RawSettings> = {
  // Version 0 was the unversioned prototype file: a flat `{ theme }` object.
  0: (raw) => {
    const { theme, ...rest } = raw;
    const general = typeof rest.general === 'object' && rest.general !== null ? rest.general : {};
    return theme === undefined ? rest : { ...rest, general: { ...general, theme } };
  },
};
