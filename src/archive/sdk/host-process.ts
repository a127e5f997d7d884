import { fork, type ChildProcess } from 'node:child_process';
import { redactText } from '../../util/redact.ts';
import type { HostEntry } from './host-entry.ts';
import type { HostErrorPayload, HostMessage, HostRequest, ResultOf } from './protocol.ts';

/**
 * One SDK host: a child process (not a worker thread: a SIGSEGV in the native library kills the
 * whole process it runs in, archive-sdk.md §8) running host-main.ts. Calls carry ids; each has a
 * deadline enforced here, and a call past its deadline kills the process, because a native call that
 * hangs cannot be cancelled any other way.
 */

const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT']);
const STDERR_TAIL = 4000;
/**
 * A host keeps nothing between calls (a batch, a page), yet V8 lets its young generation grow to
 * 2 × 16 MB before collecting: a 1 MB semi-space keeps each host ~25 MB smaller for a few more
 * scavenges of short-lived objects (measured with `npm run bench:archive`: 369 MB for the product's
 * processes instead of 471 MB, at the same CPU per message). Not a heap cap: a large page or message
 * still fits, so it is never mistaken for a crash and quarantined. (A small initial old generation
 * saved 4 MB more but cost ~75 µs of CPU per message in full collections: not worth it.)
 */
const HOST_V8_FLAGS = ['--max-semi-space-size=1'];

export type DeathCause = 'crash' | 'timeout' | 'exit';

/** The host died (or was killed) while a call was pending. */
export class HostDiedError extends Error {
  constructor(readonly deathCause: DeathCause, readonly detail: string) {
    super(`SDK host ${deathCause}: ${detail}`);
    this.name = 'HostDiedError';
  }
}

/** The host answered with an error instead of a result. */
export class HostCallError extends Error {
  constructor(readonly payload: HostErrorPayload) {
    super(`SDK host error: ${payload.kind}`);
    this.name = 'HostCallError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * What a host process sees of the environment: what the vendor library and Node need, and no more.
 * The product's own secrets (APP_SECRET, DATABASE_URL …) never reach Tencent's closed library.
 */
const HOST_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'LD_LIBRARY_PATH', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY', 'WECOM_ARCHIVE_DEBUG', 'NODE_OPTIONS'];

function hostEnvironment(apiBase: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of HOST_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  // The stand-in SDK finds the sandbox through WECOM_API_BASE; Tencent's library ignores it.
  return { ...env, WECOM_API_BASE: apiBase };
}

export class HostProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private death?: HostDiedError;
  private stderrTail = '';
  /** Resolves when the process is gone, however it went. */
  readonly exited: Promise<void>;

  constructor(options: { apiBase: string; entry: HostEntry }) {
    this.child = fork(options.entry.file, [], {
      // Replaces the parent's flags (vitest's or tsx's own loaders): the plain-JS bundle needs none.
      execArgv: [...HOST_V8_FLAGS, ...options.entry.execArgv],
      env: hostEnvironment(options.apiBase),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
      if (process.env.WECOM_ARCHIVE_DEBUG) process.stderr.write(redactText(chunk));
    });
    this.child.on('message', (message: HostMessage) => this.onMessage(message));
    // 'error' covers a failed spawn and a send to a dead process; 'exit' settles the calls.
    this.child.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.onExit(code, signal);
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.death && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the host wrote to stderr, redacted (for start failures). */
  get stderr(): string {
    return redactText(this.stderrTail.trim());
  }

  call<K extends keyof ResultOf>(request: Extract<HostRequest, { op: K }>, timeoutMs: number): Promise<ResultOf[K]> {
    if (this.death) return Promise.reject(this.death);
    const id = this.nextId++;
    return new Promise<ResultOf[K]>((resolve, reject) => {
      const timer = setTimeout(() => this.kill('timeout', `${request.op} > ${timeoutMs} ms`), timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.child.send({ id, ...request });
    });
  }

  /** Kills the process now; pending calls fail with `cause`. */
  kill(cause: DeathCause, detail: string): void {
    this.death ??= new HostDiedError(cause, detail);
    this.child.kill('SIGKILL');
  }

  /** Asks the host to release the SDK and leave; kills it if it does not within `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.death ??= new HostDiedError('exit', 'closed');
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private onMessage(message: HostMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new HostCallError(message.error));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.death) {
      const crashed = signal !== null && CRASH_SIGNALS.has(signal);
      this.death = new HostDiedError(crashed ? 'crash' : 'exit', signal ?? `exit code ${code}`);
    }
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(this.death);
    }
    this.pending.clear();
  }
}
