import { NO_JOBS } from '../helpers/deployment.ts';
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { CALLBACK_KINDS, type CallbackKind } from '../../src/config/keys.ts';
import type { Config } from '../../src/config/types.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { receiveCallback, type CallbackReply } from '../../src/services/callbacks.ts';
import { runtimeOf, type Runtime } from '../../src/services/runtime.ts';
import { callbackRoutes } from '../../src/server/routes/callbacks.ts';
import { eventRoutes } from '../../src/server/routes/events.ts';
import { MsgCrypt } from '../../src/wecom/callback/crypto.ts';
import { sealRequest } from '../../src/wecom/callback/envelope.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { sandboxConfig } from '../helpers/sandbox-config.ts';
import type { StoreDialect } from '../../src/store/database.ts';

/** Callback test helpers: a runtime with callback keys, sealed events, a bare Fastify with the two route modules. */

export type CallbackSecrets = Record<CallbackKind, { token: string; aesKey: string }>;

/** Generated per test: a Token and a 43-character EncodingAESKey for every kind. */
export function generateSecrets(): CallbackSecrets {
  return Object.fromEntries(CALLBACK_KINDS.map((kind) => [kind, {
    token: randomBytes(12).toString('hex'), aesKey: randomBytes(32).toString('base64').slice(0, 43),
  }])) as CallbackSecrets;
}

export interface World {
  runtime: Runtime;
  corpId: string;
  secrets: CallbackSecrets;
  database: TestDatabase;
  crypt(kind: CallbackKind): MsgCrypt;
  close(): Promise<void>;
}

/** A runtime over a fresh test database with one corp: the sandbox's when given, else a bare config. */
export async function openWorld(dialect: StoreDialect, options: { sandbox?: Sandbox; corpId?: string; secrets?: Partial<CallbackSecrets>; withoutKeys?: string[] } = {}): Promise<World> {
  const database = await createTestDatabase(dialect);
  const secrets = { ...generateSecrets(), ...options.secrets } as CallbackSecrets;
  const config: Config = options.sandbox
    ? (await sandboxConfig(options.sandbox, {}, options.withoutKeys)).config
    : ({ corpId: options.corpId ?? 'wwcallbacktest0001', secrets: {}, archivePrivateKeys: {}, limits: {}, callbacks: {}, raw: {}, problems: [], dataDir: database.dataDir } as unknown as Config);
  config.callbacks = { ...secrets };
  const runtime = runtimeOf({ corps: [config], dataDir: database.dataDir, databaseUrl: database.databaseUrl, lang: 'zh', files: [], problems: [], jobs: NO_JOBS });
  const corpId = config.corpId!;
  return {
    runtime, corpId, secrets, database,
    crypt: (kind) => new MsgCrypt({ token: secrets[kind].token, encodingAesKey: secrets[kind].aesKey, receiveId: corpId }),
    close: async () => { await runtime.close(); await database.drop(); },
  };
}

let nonceCounter = 0;
export const freshNonce = (): string => `${Date.now()}${(nonceCounter += 1)}${randomBytes(3).toString('hex')}`;
export const nowSeconds = (): string => String(Math.floor(Date.now() / 1000));

/** An event as WeCom writes it (§5.5): the header, then the fields, text in CDATA. */
export function eventXml(corpId: string, fields: Record<string, string | number | string[]>, createTime = Math.floor(Date.now() / 1000)): string {
  const body = Object.entries(fields).map(([name, value]) => {
    if (Array.isArray(value)) return `<${name}>${value.map((v) => `<Item><![CDATA[${v}]]></Item>`).join('')}</${name}>`;
    return typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`;
  }).join('');
  return `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>`
    + `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType>${body}</xml>`;
}

/** Seals and delivers one event through the service, as WeCom would. */
export async function deliver(world: World, kind: CallbackKind, plaintext: string, nonce = freshNonce()): Promise<CallbackReply> {
  const { query, body } = sealRequest(world.crypt(kind), plaintext, { timestamp: nowSeconds(), nonce });
  return receiveCallback(world.runtime, { corpId: world.corpId, kind, method: 'POST', query, body, contentType: 'text/xml' });
}

/** A bare Fastify with the two route modules, as the server will mount them. */
export async function bareServer(runtime: Runtime): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  // No auth gate here: every request runs as the given runtime (the gate sets request.runtime in the server).
  app.decorateRequest('runtime', null as unknown as Runtime);
  app.addHook('onRequest', async (request) => { request.runtime = runtime; });
  await callbackRoutes(app, { runtime });
  await eventRoutes(app, { runtime });
  await app.ready();
  return app;
}

export async function inboxCount(world: World): Promise<number> {
  const store = await world.runtime.store();
  const row = await store.db.selectFrom('callback_inbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
