import { lang, t } from './i18n.ts';
import type {
  ArchiveStatusReport, ArchiveVerifyReport, AuditResult, ConversationResult, ConversationsResult, CorpsReport, CustomerDetailResult, CustomersResult,
  EmployeesResult, EventList, GroupDetailResult, GroupsResult, Problem, SearchResult, SessionInfo,
} from './types.ts';

/**
 * Every path of /api/v1 the UI calls, in one place. The UI is a client of the REST API only: the
 * same routes, answers and problems as any API client. Requests carry the interface language
 * (problem+json comes back in it), the CSRF token on state changes, and the stated purpose on content.
 */

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

/** What requests need to carry, set by the session module. */
const state: { csrfToken: string | null; purpose: (conversationId?: string) => string | null; unauthorized: () => void } = {
  csrfToken: null,
  purpose: () => null,
  unauthorized: () => {},
};

/** Called when a request is refused 401 (a session that expired or was logged out elsewhere). */
export function onUnauthorized(handler: () => void): void {
  state.unauthorized = handler;
}

export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}

export function setPurposeSource(source: (conversationId?: string) => string | null): void {
  state.purpose = source;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return `${API}${path}${text ? `?${text}` : ''}`;
}

interface Options {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** Message content: the purpose goes with it (for this conversation, else the session's). */
  content?: { conversationId?: string };
  signal?: AbortSignal;
}

function headersOf(options: Options): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.method && options.method !== 'GET' && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
  if (options.content) {
    const purpose = state.purpose(options.content.conversationId);
    if (purpose) headers['X-Access-Purpose'] = encodeURIComponent(purpose);
  }
  return headers;
}

async function send(target: string, options: Options): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(target, {
      method: options.method ?? 'GET',
      headers: headersOf(options),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, { status: 0, title: t('networkError'), detail: t('networkError') });
  }
  if (!response.ok) {
    const error = new ApiError(response.status, await problemOf(response));
    if (response.status === 401 && !target.endsWith('/session')) state.unauthorized();
    throw error;
  }
  return response;
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...body, status: response.status };
  } catch {
    return { status: response.status, title: response.statusText, detail: `HTTP ${response.status}` };
  }
}

async function json<T>(path: string, query: Query = {}, options: Options = {}): Promise<T> {
  const response = await send(url(path, query), options);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

// Session (helper AUTH): the cookie is HttpOnly; the UI sees only what the API answers.
export const getSession = () => json<SessionInfo>('/session');
export const login = (name: string, password: string) => json<SessionInfo>('/session', {}, { method: 'POST', body: { name, password } });
export const logout = () => json<void>('/session', {}, { method: 'DELETE' });
export const statePurpose = (text: string, conversationId?: string) =>
  json<unknown>('/session/purpose', {}, { method: 'POST', body: conversationId ? { text, conversationId } : { text } });

// Directory.
export const listEmployees = (query: { search?: string; corp?: string; limit?: number } = {}) => json<EmployeesResult>('/employees', { ...query });
export const listCustomers = (query: { search?: string; followUser?: string; corp?: string; limit?: number } = {}) =>
  json<CustomersResult>('/customers', { ...query });
export const getCustomer = (id: string, corp?: string) =>
  json<CustomerDetailResult>(`/customers/${encodeURIComponent(id)}`, { corp, includeDeleted: true });
export const listGroups = (query: { search?: string; followUser?: string; corp?: string; limit?: number } = {}) => json<GroupsResult>('/groups', { ...query });
export const getGroup = (id: string, corp?: string) => json<GroupDetailResult>(`/groups/${encodeURIComponent(id)}`, { corp });

// The archive.
export interface ConversationsQuery {
  employee?: string;
  customer?: string;
  kind?: 'single' | 'group' | 'system';
  search?: string;
  corp?: string;
  limit?: number;
}
export const listConversations = (query: ConversationsQuery = {}) => json<ConversationsResult>('/conversations', { ...query });

export interface PageQuery {
  corp?: string;
  limit?: number;
  before?: string;
  after?: string;
  around?: string;
}
export const readMessages = (id: string, query: PageQuery, signal?: AbortSignal) =>
  json<ConversationResult>(`/conversations/${encodeURIComponent(id)}/messages`, { ...query }, { content: { conversationId: id }, signal });

export interface SearchQuery {
  q: string;
  from?: string;
  to?: string;
  employee?: string;
  customer?: string;
  conversation?: string;
  types?: string;
  corp?: string;
  limit?: number;
}
export const search = (query: SearchQuery) => json<SearchResult>('/search', { ...query }, { content: {} });

/** A message's file (its own: path ''; a nested item's: `item[2]`), as a Blob for an object URL. */
export async function fetchMedia(corpId: string, msgid: string, path: string, conversationId: string): Promise<Blob> {
  const target = url(`/media/${encodeURIComponent(corpId)}/${encodeURIComponent(msgid)}`, { path });
  const response = await send(target, { content: { conversationId } });
  return response.blob();
}

// Health.
export const listCorps = () => json<CorpsReport>('/corps');
export const archiveStatus = () => json<ArchiveStatusReport>('/archive/status');
export const verifyArchive = () => json<ArchiveVerifyReport>('/archive/verify');
export const inbox = () => json<EventList>('/events', { limit: 10 });
export const parkedEvents = () => json<EventList>('/events', { status: 'parked', limit: 50 });

// Audit (helper AUTH).
export interface AuditQuery {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  result?: string;
  limit?: number;
}
export const listAudit = (query: AuditQuery) => json<AuditResult>('/audit', { ...query });
