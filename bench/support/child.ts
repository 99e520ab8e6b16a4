// Child processes for the benchmarks: the load generator and the process under test must not
// share one event loop (and the memory benchmark must not count the generator's memory).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/core/paths.js';

export const tsxLoader = pathToFileURL(path.join(packageRoot, 'node_modules/tsx/dist/loader.mjs')).href;

export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

/** A TypeScript module run by node with tsx, talking to this process over an IPC channel. */
export class TsChild {
  readonly process: ChildProcess;
  readonly #inbox: ChildMessage[] = [];
  readonly #waiters = new Set<() => void>();
  #stderr = '';
  #exited = false;

  constructor(file: string, options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv; args?: string[] } = {}) {
    this.process = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', tsxLoader, path.join(packageRoot, file), ...(options.args ?? [])], {
      cwd: packageRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.process.stderr!.on('data', (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-4000)));
    this.process.on('message', (message: ChildMessage) => {
      this.#inbox.push(message);
      this.#wake();
    });
    this.process.on('exit', () => {
      this.#exited = true;
      this.#wake();
    });
  }

  #wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  send(message: ChildMessage): void {
    this.process.send(message);
  }

  /** The next message of this type (taken from the inbox); fails if the child exits first. */
  async receive<T = ChildMessage>(type: string, timeoutMs = 600_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inbox.findIndex((m) => m.type === type || m.type === 'error');
      if (index >= 0) {
        const [message] = this.#inbox.splice(index, 1);
        if (message!.type === 'error') throw new Error(`child ${String(message!.message)}`);
        return message as unknown as T;
      }
      if (this.#exited) throw new Error(`the child exited before sending "${type}": ${this.#stderr}`);
      if (Date.now() > deadline) throw new Error(`no "${type}" from the child within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, 1_000);
        this.#waiters.add(wake);
      });
    }
  }

  /** Asks the child to stop, then kills it if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    if (this.process.connected) this.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** In a child: reports an unexpected failure to the parent and exits non-zero. */
export function reportFailures(): void {
  const fail = (error: unknown) => {
    process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
