import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { KeyedMutex, type StoredToken, type TokenStore } from './token-store.ts';

/**
 * Tokens in `DATA_DIR/tokens.json` (mode 0600), so separate CLI runs reuse one token instead of
 * calling gettoken each time (gettoken is frequency-limited). A lock file next to it makes two
 * processes started together do exactly one gettoken: the second waits, then finds the first one's
 * token in the file. The file is a cache: if it is unreadable it is treated as empty and rewritten.
 */

export interface FileTokenStoreOptions {
  dataDir: string;
  /** How often a waiting process looks at the lock again. */
  pollMs?: number;
  /** A lock older than this is taken over when its owner cannot be checked (another host). */
  staleMs?: number;
  /** A lock of a live process on this host is taken over only after this long (a hung process). */
  hungMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface FileContent { version: 1; tokens: Record<string, StoredToken> }
interface LockContent { id: string; pid: number; host: string; at: number }

export class FileTokenStore implements TokenStore {
  readonly kind: string;
  readonly file: string;
  private readonly lockFile: string;
  private readonly mutex = new KeyedMutex();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: FileTokenStoreOptions) {
    this.file = join(options.dataDir, 'tokens.json');
    this.lockFile = join(options.dataDir, 'tokens.lock');
    this.kind = `file ${this.file}`;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async get(key: string): Promise<StoredToken | undefined> {
    return (await this.read()).tokens[key];
  }

  async set(key: string, value: StoredToken): Promise<void> {
    const content = await this.read();
    content.tokens[key] = value;
    // Drop long-expired entries of other secrets so the file does not grow forever.
    for (const [other, entry] of Object.entries(content.tokens)) {
      if (entry.expiresAt < this.now() - 86_400_000) delete content.tokens[other];
    }
    await this.write(content);
  }

  async delete(key: string, token: string): Promise<void> {
    const content = await this.read();
    if (content.tokens[key]?.token !== token) return;
    delete content.tokens[key];
    await this.write(content);
  }

  /** One lock for the whole file: fetches are rare, and read-modify-write of one file needs it anyway. */
  withLock<T>(_key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run('file', async () => {
      const id = await this.acquire();
      try {
        return await fn();
      } finally {
        await this.release(id);
      }
    });
  }

  private async read(): Promise<FileContent> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as FileContent;
      if (parsed?.version === 1 && parsed.tokens && typeof parsed.tokens === 'object') return parsed;
    } catch {
      // Missing or corrupt: it is only a cache.
    }
    return { version: 1, tokens: {} };
  }

  /** Write-then-rename so a reader never sees half a file; 0600 because tokens are credentials. */
  private async write(content: FileContent): Promise<void> {
    await mkdir(this.options.dataDir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    await chmod(tmp, 0o600); // the umask may have narrowed the mode, never widened; make it exact
    await rename(tmp, this.file);
  }

  private async acquire(): Promise<string> {
    await mkdir(this.options.dataDir, { recursive: true, mode: 0o700 });
    const mine: LockContent = { id: randomBytes(8).toString('hex'), pid: process.pid, host: hostname(), at: this.now() };
    for (;;) {
      try {
        const handle = await open(this.lockFile, 'wx', 0o600);
        try {
          await handle.writeFile(JSON.stringify(mine));
        } catch (err) {
          // A full disk can create the file and refuse its content: leave no empty lock behind.
          await handle.close().catch(() => undefined);
          await unlink(this.lockFile).catch(() => undefined);
          throw err;
        }
        await handle.close();
        return mine.id;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const staleId = await this.staleHolder();
      if (staleId !== undefined) await this.takeOver(staleId);
      else await this.sleep(this.options.pollMs ?? 25);
    }
  }

  private async release(id: string): Promise<void> {
    const holder = await this.readLock();
    if (holder?.id === id) await unlink(this.lockFile).catch(() => undefined);
  }

  /**
   * A lock left by a crashed process must not block every later run. Returns the stale holder's id
   * ('' when the lock file is unreadable), or undefined when the lock is live.
   */
  private async staleHolder(): Promise<string | undefined> {
    const holder = await this.readLock();
    const age = holder ? this.now() - holder.at : await this.lockAge();
    if (age === undefined) return undefined;
    const stale = holder && holder.host === hostname()
      ? !isAlive(holder.pid) || age > (this.options.hungMs ?? 600_000)
      : age > (this.options.staleMs ?? 120_000);
    return stale ? (holder?.id ?? '') : undefined;
  }

  /**
   * Rename aside, then delete: rename is atomic, so of two processes taking over at once only one
   * moves the file. If what was moved is not the stale lock we judged (another process took over
   * and locked in between), it is put back with link(), which fails rather than overwrite.
   */
  private async takeOver(staleId: string): Promise<void> {
    const aside = `${this.lockFile}.stale.${randomBytes(4).toString('hex')}`;
    try {
      await rename(this.lockFile, aside);
    } catch {
      return; // someone else took it over first
    }
    const moved = await readFile(aside, 'utf8')
      .then((text) => JSON.parse(text) as Partial<LockContent>)
      .catch((): Partial<LockContent> => ({}));
    if ((moved.id ?? '') !== staleId) await link(aside, this.lockFile).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
  }

  private async readLock(): Promise<LockContent | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.lockFile, 'utf8')) as LockContent;
      return typeof parsed?.id === 'string' ? parsed : undefined;
    } catch {
      return undefined; // absent, or created but not yet written
    }
  }

  private async lockAge(): Promise<number | undefined> {
    try {
      return this.now() - (await stat(this.lockFile)).mtimeMs;
    } catch {
      return undefined;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
