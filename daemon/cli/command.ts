/** Exit codes every command uses, so scripts can tell failures apart. */
export const EXIT = { ok: 0, failure: 1, usage: 2, notRunning: 3 } as const;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /**
   * Whether `out` is a terminal a person is looking at. Secrets (the access token) are only
   * printed there; a pipe or file is usually a log others can read. Absent means no.
   */
  outIsTerminal?: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}
