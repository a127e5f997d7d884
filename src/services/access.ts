import { CorpRequiredError } from '../config/deployment.ts';
import { t, type Text } from '../i18n/index.ts';
import { UserError } from '../util/errors.ts';
import type { AccessContext, Actor, Runtime } from './runtime.ts';
import type { Grant, Role } from './types/auth.ts';

/**
 * Who may do what: the one check shared by the CLI, API tokens and UI sessions, called by the
 * services (never by a face).
 *
 * - operator (the CLI) and admin: everything, users and settings included;
 * - auditor: every conversation of the corps granted (empty: every corp); may export;
 * - manager: conversations in which a member of their department subtrees takes part, and those
 *   members' customers and groups (services/scope.ts);
 * - viewer: the directory and customers only, no message content.
 *
 * A refusal is `forbidden` (403) and never says whether the thing exists: a missing conversation
 * and one out of scope get the same answer. Message content also needs a stated purpose.
 */

export type Capability =
  /** Employees, departments, customers, groups. */
  | 'directory'
  /** Messages, search, media. */
  | 'content'
  /** Corps, archive status, coverage, verify, sync state, the callback inbox. */
  | 'operations'
  | 'export'
  /** Users, tokens, settings, the audit log, replaying events. */
  | 'admin';

const ALLOWED: Record<Role, readonly Capability[]> = {
  admin: ['directory', 'content', 'operations', 'export', 'admin'],
  auditor: ['directory', 'content', 'operations', 'export'],
  manager: ['directory', 'content'],
  viewer: ['directory'],
};

/** The role and scope of an actor; null for the operator (unlimited). */
export function grantOf(actor: Actor): Grant | null {
  if (actor.kind === 'operator') return null;
  if (actor.kind === 'anonymous') return { role: 'viewer', corps: [], departments: [] };
  return { role: actor.role, corps: actor.corps, departments: actor.departments };
}

/** The operator and admins see everything, everywhere. */
export function unlimited(actor: Actor): boolean {
  return actor.kind === 'operator' || (actor.kind !== 'anonymous' && actor.role === 'admin');
}

/** Whether the actor's directory and content are limited to department subtrees. */
export function departmentScoped(actor: Actor): boolean {
  const grant = grantOf(actor);
  return grant !== null && grant.role !== 'admin' && grant.role !== 'auditor' && grant.departments.length > 0;
}

export function may(actor: Actor, capability: Capability): boolean {
  if (actor.kind === 'operator') return true;
  if (actor.kind === 'anonymous') return false;
  return ALLOWED[actor.role].includes(capability);
}

export function requireCapability(rt: Runtime, capability: Capability): void {
  if (!may(rt.actor, capability)) throw new ForbiddenError();
}

/** How the actor is named in the audit log. */
export function actorLabel(actor: Actor): string {
  if (actor.kind === 'user') return `user:${actor.name}`;
  if (actor.kind === 'token') return `token:${actor.name}`;
  return actor.kind;
}

/**
 * The runtime a request runs as: the shared one (store, clients) seen by this actor, with the corps
 * limited to those granted. A corp outside them is `forbidden`, as an unknown one is.
 */
export function asActor(rt: Runtime, actor: Actor, access: AccessContext): Runtime {
  const grant = grantOf(actor);
  // The anonymous runtime (public routes: callbacks, probes) keeps every corp: it may read no content anyway.
  const limited = grant !== null && actor.kind !== 'anonymous' && grant.role !== 'admin' && grant.corps.length > 0;
  const granted = !limited ? rt.corpIds : rt.corpIds.filter((id) => grant.corps.includes(id));
  const check = (corpId: string | undefined) => {
    if (limited && corpId !== undefined && !granted.includes(corpId)) throw new ForbiddenError();
  };
  return {
    ...rt,
    actor,
    access,
    corpIds: granted,
    corp(corpId) {
      check(corpId);
      if (!limited || corpId !== undefined) return rt.corp(corpId);
      if (granted.length === 0) fail();
      if (granted.length > 1) throw new CorpRequiredError(granted);
      return rt.corp(granted[0]);
    },
    corps(corpId) {
      check(corpId);
      if (!limited || corpId !== undefined) return rt.corps(corpId);
      return granted.length === 0 ? fail() : granted.map((id) => rt.corp(id));
    },
    // The shared runtime is closed by whoever opened it, not by a request.
    async close() {},
  };
}

function fail(): never {
  throw new ForbiddenError();
}

/**
 * The purpose stated for reading a conversation's content (or any content, without an id): the
 * conversation's own, else the session's or the X-Access-Purpose header's. The operator needs none.
 */
export function purposeFor(rt: Runtime, conversationId?: string): string | null {
  const own = conversationId === undefined ? undefined : rt.access.conversationPurposes[conversationId];
  return own ?? rt.access.purpose;
}

/** Content may be read: the capability, and a purpose (except for the operator). Returns the purpose. */
export function requireContent(rt: Runtime, conversationId?: string): string | null {
  requireCapability(rt, 'content');
  const purpose = purposeFor(rt, conversationId);
  if (rt.actor.kind !== 'operator' && !purpose) throw new PurposeRequiredError();
  return purpose;
}

export class ForbiddenError extends UserError {
  constructor() {
    super('forbidden', {
      what: { zh: '无权访问', en: 'Access denied' },
      why: { zh: '它不在你的角色或范围之内（是否存在不予告知）', en: 'It is outside your role or scope (whether it exists is not disclosed)' },
      fix: { zh: '如需访问，请联系管理员调整你的角色或范围', en: 'Ask an admin to change your role or scope if you need it' },
    });
  }
}

const PURPOSE_FIX: Text = {
  zh: '先说明查看目的：网页界面中在提示框填写；API 客户端在请求头 X-Access-Purpose 中发送（URL 编码），如 X-Access-Purpose: %E5%90%88%E8%A7%84%E6%A3%80%E6%9F%A5；会话可用 POST /api/v1/session/purpose {"text": "…"}',
  en: 'State a purpose first: in the web UI, in the prompt; API clients send it URL-encoded in the X-Access-Purpose header, e.g. X-Access-Purpose: compliance%20review%20case%2042; a session can POST /api/v1/session/purpose {"text": "…"}',
};

export class PurposeRequiredError extends UserError {
  constructor() {
    super('purpose_required', {
      what: { zh: '查看消息内容前须说明目的', en: 'A purpose is required before message content is shown' },
      why: { zh: '每次查看会话内容、搜索和打开媒体文件都会连同目的记入审计日志', en: 'Every conversation viewed, search and media file opened is recorded in the audit log with its purpose' },
      fix: PURPOSE_FIX,
    });
  }
}

/** The text of the purpose fix, for docs and tests. */
export const purposeFix = (lang: 'zh' | 'en') => t(PURPOSE_FIX, lang);
