import WebSocket from 'ws';
import { contract, type HearthContract } from '../../common/ipc/contract.ts';
import { createClient, type HearthClient } from '../../common/ipc/client.ts';
import { RpcChannel } from '../../common/ipc/rpc.ts';
import { HearthError, isHearthError } from '../../common/errors.ts';
import { EXIT, type CliIo } from './command.ts';
import { readRuntimeFile } from '../runtime-file.ts';
import { rawText } from '../api-server.ts';

export interface Connection {
  client: HearthClient<HearthContract>;
  shell: string;
  close(): void;
}

/** Connects to the daemon or desktop app running for `dataDir`, using its runtime file. */
export async function connectToRunning(dataDir: string): Promise<Connection> {
  const info = await readRuntimeFile(dataDir);
  if (!info) throw new HearthError('not_running', `Hearth is not running for ${dataDir}. Start it with \`hearth daemon\` or open the app.`);
  const ws = new WebSocket(`ws://127.0.0.1:${info.port}/api?token=${encodeURIComponent(info.token)}`);
  const rpc = new RpcChannel((message) => ws.send(JSON.stringify(message)));
  ws.on('message', (data) => {
    try {
      rpc.receive(JSON.parse(rawText(data)));
    } catch {
      // A frame that is not JSON is dropped like any other malformed frame.
    }
  });
  ws.on('close', () => rpc.failPending());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (error) => reject(new HearthError('not_running', `Could not reach Hearth on port ${info.port}: ${error.message}`)));
    ws.once('close', (code) => reject(new HearthError('unauthorized', `Hearth refused the connection (code ${code}).`)));
  });
  return { client: createClient(contract, rpc), shell: info.shell, close: () => ws.close() };
}

const say = (io: CliIo, error: unknown): void => io.err(`${isHearthError(error) ? error.message : String(error)}\n`);

/**
 * What every command that talks to the running Hearth does around its calls: says why when
 * Hearth is not running (exit 3), turns a failed call into its message (exit 1), and always
 * closes the connection.
 */
export async function withRunning(
  dataDir: string,
  io: CliIo,
  use: (connection: Connection) => Promise<number>,
  onNotRunning?: () => void,
): Promise<number> {
  let connection: Connection;
  try {
    connection = await connectToRunning(dataDir);
  } catch (error) {
    onNotRunning?.();
    say(io, error);
    return EXIT.notRunning;
  }
  try {
    return await use(connection);
  } catch (error) {
    say(io, error);
    return EXIT.failure;
  } finally {
    connection.close();
  }
}
