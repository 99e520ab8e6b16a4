// A redis-server of the test's own (Debian's /usr/bin/redis-server), so fault tests can stop and
// restart Redis without touching the machine's Redis on 6379.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export const REDIS_SERVER_BINARY = process.env.REDIS_SERVER_BINARY ?? '/usr/bin/redis-server';

export interface OwnRedisServer {
  port: number;
  url: string;
  /** The data directory (the append-only file lives here, so a restart keeps the data). */
  dir: string;
  /** Stops it with SIGTERM (Redis writes its append-only file and exits) and waits for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it if running and removes its directory. */
  dispose(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked of the OS with port 0, then released for redis-server). */

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts redis-server on a free port in a temporary directory, with the append-only file on
 * (`appendfsync always`: what was acknowledged survives a stop), as BullMQ's documentation
 * recommends for queues, and no RDB snapshots.
 */
export async function startOwnRedisServer(): Promise<OwnRedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'guyub-redis-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> | undefined;
  let stderr = '';

  const start = async () => {
    if (child) return;
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--logfile', ''];
    const process = spawn(REDIS_SERVER_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    process.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child = process;
    exited = new Promise((resolve) => process.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await accepting(port))) {
      if (process.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}: ${stderr.trim() || 'no output'}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    if (!child) return;
    child.kill('SIGTERM');
    await exited;
    child = undefined;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
