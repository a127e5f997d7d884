import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CorpRequiredError, loadDeployment, NoCorpError, UnknownCorpError, type Deployment, type DeploymentOptions } from '../config/deployment.ts';
import type { Config } from '../config/types.ts';
import type { Store } from '../store/database.ts';
import { SQLITE_FILE_NAME } from '../store/location.ts';
import { dataDirProblem, ensureDataDir, openStore } from '../store/open.ts';
import { StorageError } from '../store/storage-errors.ts';
import { UserError } from '../util/errors.ts';
import type { WecomClient, WecomClientOptions } from '../wecom/client.ts';
import type { Grant } from './types/auth.ts';

/**
 * What a process opens once and closes once: the deployment's configuration (every corp), the
 * store, and a WeCom client per corp, each made when first needed. Every service takes the runtime;
 * the faces (CLI, HTTP routes, background jobs) open it and hand it over, so they never load the
 * config or open the store themselves.
 */

/**
 * Who is asking. The CLI runs as the machine's operator (who holds the config and the database), who
 * may do everything; an API request as the token it presented (services/tokens.ts) or the user whose
 * session cookie it carries (services/session.ts), each with a role and scope (services/access.ts).
 * `anonymous` is the server's own runtime, behind public routes: it may read no content at all.
 */
export type Actor =
  | { kind: 'operator' }
  | ({ kind: 'token'; tokenId: string; name: string } & Grant)
  | ({ kind: 'user'; userId: string; name: string; session: SessionState } & Grant)
  | { kind: 'anonymous' };

/** A signed-in user's session, as the server needs it for each request. */
export interface SessionState {
  /** SHA-256 of the session id. */
  hash: string;
  csrfToken: string;
  purpose: string | null;
  conversationPurposes: Readonly<Record<string, string>>;
}

/** Where a request comes from and why it reads (services/access.ts, the audit). */
export interface AccessContext {
  ip: string | null;
  userAgent: string | null;
  /** The purpose stated for everything (X-Access-Purpose, or the session's). */
  purpose: string | null;
  /** Purposes stated for one conversation each (a session's), by conversation id. */
  conversationPurposes: Readonly<Record<string, string>>;
}

export const NO_ACCESS_CONTEXT: AccessContext = Object.freeze({ ip: null, userAgent: null, purpose: null, conversationPurposes: Object.freeze({}) });

export interface Runtime {
  readonly deployment: Deployment;
  readonly actor: Actor;
  /** The request's origin and stated purpose (the CLI's: none). */
  readonly access: AccessContext;
  /** The configured corp ids, sorted (for a scoped actor: those granted). */
  readonly corpIds: string[];
  /** The one corp a command acts on: `--corp`, or the only one configured. */
  corp(corpId?: string): Config;
  /** The corps a command covers: `--corp` alone, or every configured corp. */
  corps(corpId?: string): Config[];
  /** The store, opened (and migrated) on first use. */
  store(): Promise<Store>;
  /**
   * The store for reading: fails with a clear message, and creates nothing, when DATA_DIR holds no
   * database yet (a fresh folder would otherwise answer every query with an empty table). A SQLite
   * store this user cannot write (a read-only copy) is opened read-only (`store.readOnly`), and a
   * later `store()` then refuses with the read-only message.
   */
  readStore(): Promise<Store>;
  /** The corp's WeCom client, made on first use; overrides make a separate one (closed with the runtime). */
  client(corpId: string, overrides?: Partial<WecomClientOptions>): Promise<WecomClient>;
  close(): Promise<void>;
}

export interface RuntimeOptions extends DeploymentOptions {
  actor?: Actor;
  /** Told once when a reading command opens a store it cannot write (a read-only copy). */
  onReadOnlyStore?: (location: string) => void;
}

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const deployment = await loadDeployment(options);
  // A DATA_DIR that is a file fails every command the same clear way (doctor reports it as a check).
  const dataDir = options.strict === false ? undefined : dataDirProblem(deployment.dataDir);
  if (dataDir) throw dataDir;
  return runtimeOf(deployment, options.actor ?? { kind: 'operator' }, options.onReadOnlyStore);
}

/** A runtime over an already loaded deployment (tests, the server). */
export function runtimeOf(deployment: Deployment, actor: Actor = { kind: 'operator' }, onReadOnlyStore?: (location: string) => void): Runtime {
  const corpIds = deployment.corps.map((config) => config.corpId).filter((id): id is string => Boolean(id));
  let store: Promise<Store> | undefined;
  const clients = new Map<string, Promise<WecomClient>>();
  const extraClients: Array<Promise<WecomClient>> = [];

  const byId = (corpId: string): Config => {
    const config = deployment.corps.find((c) => c.corpId === corpId);
    if (!config) throw new UnknownCorpError(corpId, corpIds);
    return config;
  };

  const open = (access: 'read' | 'write'): Promise<Store> => {
    store ??= openStore({ databaseUrl: deployment.databaseUrl, dataDir: deployment.dataDir, access }).then((opened) => {
      if (opened.readOnly) onReadOnlyStore?.(opened.location);
      return opened;
    }, (err) => {
      store = undefined;
      throw err;
    });
    return store;
  };

  const openClient = async (config: Config, overrides?: Partial<WecomClientOptions>): Promise<WecomClient> => {
    const { clientFromConfig } = await import('../wecom/client.ts');
    // The token cache lives in DATA_DIR: a DATA_DIR that is a file is reported as such, not from inside the cache.
    if (!overrides?.tokenStore && !config.redisUrl) ensureDataDir(config.dataDir);
    return clientFromConfig(config, overrides);
  };

  return {
    deployment,
    actor,
    access: NO_ACCESS_CONTEXT,
    corpIds,
    corp(corpId) {
      if (corpId !== undefined) return byId(corpId);
      if (corpIds.length === 0) throw new NoCorpError();
      if (corpIds.length > 1) throw new CorpRequiredError(corpIds);
      return byId(corpIds[0]!);
    },
    corps(corpId) {
      if (corpId !== undefined) return [byId(corpId)];
      if (corpIds.length === 0) throw new NoCorpError();
      return corpIds.map(byId);
    },
    async store() {
      const opened = await open('write');
      if (opened.readOnly) throw readOnlyStore(opened.location);
      return opened;
    },
    async readStore() {
      if (!deployment.databaseUrl && !existsSync(join(deployment.dataDir, SQLITE_FILE_NAME))) throw new EmptyStoreError(deployment.dataDir);
      return open('read');
    },
    client(corpId, overrides) {
      const config = byId(corpId);
      if (overrides) {
        const made = openClient(config, overrides);
        extraClients.push(made);
        return made;
      }
      let client = clients.get(corpId);
      if (!client) clients.set(corpId, (client = openClient(config)));
      return client;
    },
    async close() {
      const made = [...clients.values(), ...extraClients];
      clients.clear();
      extraClients.length = 0;
      await Promise.allSettled(made.map(async (client) => (await client).close()));
      if (store) await (await store.catch(() => undefined))?.close();
      store = undefined;
    },
  };
}

/** DATA_DIR holds no database: nothing has been synced or pulled there yet. */
export class EmptyStoreError extends UserError {
  constructor(dataDir: string) {
    super('store_empty', {
      what: { zh: '数据目录 {path} 中还没有数据库', en: 'The data folder {path} holds no database yet' },
      why: { zh: '还没有在这个 DATA_DIR 下同步或拉取过数据（或 DATA_DIR 指向了别处）', en: 'Nothing has been synced or pulled into this DATA_DIR yet (or DATA_DIR points elsewhere)' },
      fix: {
        zh: '先运行 `wecom-archive sync` 和 `wecom-archive archive pull`；若数据在别处，用 --config 指定其配置或设置 DATA_DIR',
        en: 'Run `wecom-archive sync` and `wecom-archive archive pull` first; if the data is elsewhere, point --config at its config or set DATA_DIR',
      },
      vars: { path: dataDir },
    });
  }
}

/** A writing command on a store opened read-only earlier in the same process. */
function readOnlyStore(location: string): StorageError {
  return new StorageError('read_only', location, 'the store was opened read-only');
}
