import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { apiTokensRepository, LAST_USED_RESOLUTION_MS, type ApiTokenRow } from '../store/api-tokens.repository.ts';
import type { Store } from '../store/database.ts';
import { UserError } from '../util/errors.ts';
import { requireCapability } from './access.ts';
import { audited } from './audit.ts';
import { checkGrant, grantColumns, grantOfRow } from './grants.ts';
import { EmptyStoreError, type Actor, type Runtime } from './runtime.ts';
import type { CreatedToken, RevokedToken, TokenItem, TokensResult } from './types/tokens.ts';

/**
 * API tokens: `tokens create|list|revoke` and the server's bearer check. A token is `wca_` and 32
 * random bytes in base64url: with that much entropy a plain SHA-256 is the right hash (a slow
 * password hash buys nothing and would cost every request). Only the hash and a short prefix are
 * stored; the token is shown once.
 */

export const TOKEN_PREFIX = 'wca_';
const TOKEN_SHAPE = /^wca_[A-Za-z0-9_-]{43}$/;
/** `wca_` and 6 characters: enough to tell tokens apart in a list, far too little to guess the rest. */
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;
const NAME_MAX = 100;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A token with a role and scope (grants.ts). Without a role it is an auditor over every corp: what
 * tokens made before roles existed became (migration 20261207_04), and never more than that.
 */
export async function createToken(rt: Runtime, input: { name: string; now?: number; role?: string; corps?: string[]; departments?: number[] }): Promise<CreatedToken> {
  requireCapability(rt, 'admin');
  const name = checkName(input.name);
  const detail = { role: input.role ?? 'auditor', corps: input.corps ?? [], departments: input.departments ?? [] };
  return audited(rt, { action: 'token.create', target: name, purpose: null, detail }, async () => {
    const grant = checkGrant(rt, { ...input, role: input.role ?? 'auditor' });
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = { id: randomUUID(), name, token_hash: hashToken(token), prefix: token.slice(0, SHOWN_PREFIX_LENGTH), created_at: input.now ?? Date.now(), ...grantColumns(grant) };
    const store = await rt.store();
    await apiTokensRepository.insert(store.db, row);
    return { ok: true, token, id: row.id, name, prefix: row.prefix, createdAt: row.created_at, ...grant };
  });
}

/** Every token, revoked ones too (never the token itself). A deployment with no database has none. */
export async function listTokens(rt: Runtime): Promise<TokensResult> {
  requireCapability(rt, 'admin');
  const store = await storeIfAny(rt);
  const rows = store ? await apiTokensRepository.list(store.db) : [];
  return { ok: true, tokens: rows.map(tokenItem), truncated: false };
}

/** Revokes one token by id, or by name when exactly one live token has it. */
export async function revokeToken(rt: Runtime, input: { idOrName: string; now?: number }): Promise<RevokedToken> {
  requireCapability(rt, 'admin');
  return audited(rt, { action: 'token.revoke', target: input.idOrName, purpose: null }, () => revoke(rt, input));
}

async function revoke(rt: Runtime, input: { idOrName: string; now?: number }): Promise<RevokedToken> {
  const store = await storeIfAny(rt);
  const found = store ? await apiTokensRepository.find(store.db, input.idOrName) : [];
  if (found.length === 0) throw new UnknownTokenError(input.idOrName);
  if (found.length > 1) throw new AmbiguousTokenError(input.idOrName, found.map((row) => row.id));
  const row = found[0]!;
  if (row.revoked_at !== null) throw new TokenAlreadyRevokedError(row.name, row.id);
  const now = input.now ?? Date.now();
  await apiTokensRepository.revoke(store!.db, row.id, now);
  return { ok: true, token: tokenItem({ ...row, revoked_at: now }) };
}

/**
 * The actor a bearer token stands for, or null (unknown, malformed or revoked). A use is recorded
 * at most once a minute per token: the row just read says whether one is due.
 */
export async function authenticate(rt: Runtime, bearer: string, now = Date.now()): Promise<Actor | null> {
  if (!TOKEN_SHAPE.test(bearer)) return null;
  const store = await rt.store();
  const row = await apiTokensRepository.byHash(store.db, hashToken(bearer));
  if (!row || row.revoked_at !== null) return null;
  if (row.last_used_at === null || row.last_used_at <= now - LAST_USED_RESOLUTION_MS) await apiTokensRepository.touch(store.db, row.id, now);
  return { kind: 'token', tokenId: row.id, name: row.name, ...grantOfRow(row) };
}

function tokenItem(row: ApiTokenRow): TokenItem {
  return { id: row.id, name: row.name, prefix: row.prefix, ...grantOfRow(row), createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

async function storeIfAny(rt: Runtime): Promise<Store | undefined> {
  return rt.readStore().catch((err: unknown) => {
    if (err instanceof EmptyStoreError) return undefined;
    throw err;
  });
}

function checkName(given: string): string {
  const name = given.trim();
  // eslint-disable-next-line no-control-regex
  if (name && name.length <= NAME_MAX && !/[\u0000-\u001f\u007f]/.test(name)) return name;
  throw new UserError('token_bad_name', {
    what: { zh: '令牌名称无效：{name}', en: 'Invalid token name: {name}' },
    why: { zh: '名称须为 1 到 {max} 个字符，不含控制字符', en: 'A name is 1 to {max} characters, without control characters' },
    fix: { zh: '用说明用途的名称，如 --name 网页界面', en: 'Use a name saying what it is for, e.g. --name web-ui' },
    vars: { name: JSON.stringify(given), max: NAME_MAX },
  });
}

export class UnknownTokenError extends UserError {
  constructor(idOrName: string) {
    super('token_unknown', {
      what: { zh: '没有 ID 或名称为 {value} 的有效令牌', en: 'No live token has the id or name {value}' },
      fix: { zh: '用 wecom-archive tokens list 查看令牌的 ID 和名称', en: 'Run wecom-archive tokens list to see the tokens\' ids and names' },
      vars: { value: idOrName },
    });
  }
}

export class AmbiguousTokenError extends UserError {
  constructor(name: string, ids: string[]) {
    super('token_ambiguous', {
      what: { zh: '有 {count} 个有效令牌都叫 {name}', en: '{count} live tokens are named {name}' },
      fix: { zh: '按 ID 撤销其中一个：{ids}', en: 'Revoke one by its id: {ids}' },
      vars: { name, count: ids.length, ids: ids.join(', ') },
    });
  }
}

export class TokenAlreadyRevokedError extends UserError {
  constructor(name: string, id: string) {
    super('token_already_revoked', {
      what: { zh: '令牌 {name}（{id}）已被撤销', en: 'The token {name} ({id}) is already revoked' },
      vars: { name, id },
    });
  }
}
