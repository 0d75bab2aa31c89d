/** The link from a launched child to its parent, whichever launcher started it. */
export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** process.parentPort under Electron's utilityProcess, process.send under child_process.fork. */
export function parentChannel(): ParentChannel {
  const parentPort = (process as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data)) };
  }
  if (!process.send) {
    process.stderr.write('hearth: no parent channel; this process is started by Hearth itself.\n');
    process.exit(2);
  }
  return { send: (m) => process.send?.(m), onMessage: (l) => process.on('message', l) };
}
