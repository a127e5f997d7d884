/**
 * The WeCom endpoint catalogue: every server API the product (and the sandbox) knows, declared once.
 * Facts come from shared/reference/wecom-api.md §1–§4. The client, the sandbox, `call` and `doctor`
 * all derive their behaviour from this table; nothing else hard-codes a path or a credential rule.
 */

import type { CredentialKind } from './credentials.ts';

/** Where WeCom's server API lives; WECOM_API_BASE overrides it (a reverse proxy, the sandbox). */
export const DEFAULT_API_BASE = 'https://qyapi.weixin.qq.com';

// Declared in credentials.ts with their config keys; re-exported for the catalogue's many readers.
export { CREDENTIAL_KINDS, type CredentialKind } from './credentials.ts';

/** Cursor pagination: the request carries `cursorParam`, the response `nextCursorField` (empty = done). */
export interface CursorPage {
  style: 'cursor';
  /** Where the cursor and limit travel: the JSON body (POST) or the query string (GET). */
  cursorParam: string;
  nextCursorField: string;
  /** The array field of each page that holds the items. */
  itemsField: string;
  /** A boolean field that marks the last page besides an empty cursor (get_unassigned_list `is_last`). */
  lastPageField?: string;
  limitParam?: string;
  minLimit?: number;
  maxLimit?: number;
  defaultLimit?: number;
  /** The limit is required by WeCom (groupchat/list): the client always sends one. */
  limitRequired?: boolean;
}

export interface EndpointSpec {
  method: 'GET' | 'POST';
  /** Path under /cgi-bin/, never with a query string. */
  path: string;
  /** Credential kinds allowed to call it, in the order the client prefers them. Empty: no token (gettoken). */
  credentials: readonly CredentialKind[];
  /** Safe to retry after an ambiguous failure (reads). Writes are never retried blindly. */
  retrySafe: boolean;
  page?: CursorPage;
  /** Customer-data endpoints: WeCom caps concurrency per corp (45033); the sandbox enforces a cap. */
  concurrencyLimited?: boolean;
  /** A per-endpoint rate limit stricter than WeCom's base limit, per minute. */
  perMinute?: number;
  doc: string;
  summary: string;
}

const DOC = 'https://developer.work.weixin.qq.com/document/path/';
const DIRECTORY_READ = ['app', 'contacts'] as const;
const APP_ONLY = ['app'] as const;
/** 客户联系 secret, or a self-built app added to 客户联系 →「可调用应用」. */
const CUSTOMER = ['customer', 'app'] as const;
const ARCHIVE = ['archive'] as const;

export const endpoints = {
  'token.get': {
    method: 'GET', path: 'gettoken', credentials: [], retrySafe: true,
    doc: `${DOC}91039`, summary: 'Fetch an access_token for (corpid, secret)',
  },

  // §2 Directory
  'department.list': {
    method: 'GET', path: 'department/list', credentials: DIRECTORY_READ, retrySafe: true,
    doc: `${DOC}90208`, summary: 'Departments (with names) in the visible scope',
  },
  'department.simplelist': {
    method: 'GET', path: 'department/simplelist', credentials: DIRECTORY_READ, retrySafe: true,
    doc: `${DOC}95350`, summary: 'Department ids and parents',
  },
  'department.get': {
    method: 'GET', path: 'department/get', credentials: APP_ONLY, retrySafe: true,
    doc: `${DOC}95352`, summary: 'One department with its leaders',
  },
  'user.simplelist': {
    method: 'GET', path: 'user/simplelist', credentials: DIRECTORY_READ, retrySafe: true,
    doc: `${DOC}90200`, summary: 'Members of a department (ids and names)',
  },
  'user.list': {
    method: 'GET', path: 'user/list', credentials: DIRECTORY_READ, retrySafe: true,
    doc: `${DOC}90201`, summary: 'Members of a department with details',
  },
  'user.listId': {
    method: 'POST', path: 'user/list_id', credentials: ['contacts'], retrySafe: true,
    page: { style: 'cursor', cursorParam: 'cursor', nextCursorField: 'next_cursor', itemsField: 'dept_user',
      limitParam: 'limit', minLimit: 1, maxLimit: 10000, defaultLimit: 10000 },
    doc: `${DOC}96067`, summary: 'Every (userid, department) pair, paged',
  },
  'user.get': {
    method: 'GET', path: 'user/get', credentials: DIRECTORY_READ, retrySafe: true,
    doc: `${DOC}90196`, summary: 'One member with details',
  },
  'user.getuserid': {
    method: 'POST', path: 'user/getuserid', credentials: APP_ONLY, retrySafe: true,
    doc: `${DOC}95402`, summary: 'Userid from a mobile number',
  },
  'user.getUseridByEmail': {
    method: 'POST', path: 'user/get_userid_by_email', credentials: APP_ONLY, retrySafe: true,
    doc: `${DOC}95895`, summary: 'Userid from an email address',
  },
  'tag.list': {
    method: 'GET', path: 'tag/list', credentials: APP_ONLY, retrySafe: true,
    doc: `${DOC}90216`, summary: 'Member tags',
  },
  'tag.get': {
    method: 'GET', path: 'tag/get', credentials: APP_ONLY, retrySafe: true,
    doc: `${DOC}90213`, summary: 'Members and departments of a member tag',
  },
  'auth.getuserinfo': {
    method: 'GET', path: 'auth/getuserinfo', credentials: APP_ONLY, retrySafe: false,
    doc: `${DOC}91023`, summary: 'OAuth code to userid and user_ticket',
  },
  'auth.getuserdetail': {
    method: 'POST', path: 'auth/getuserdetail', credentials: APP_ONLY, retrySafe: false,
    doc: `${DOC}95833`, summary: 'Sensitive member fields for a user_ticket',
  },

  // §3 Customer contact
  'externalcontact.getFollowUserList': {
    method: 'GET', path: 'externalcontact/get_follow_user_list', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true, doc: `${DOC}92571`, summary: 'Members with customer contact enabled',
  },
  'externalcontact.list': {
    method: 'GET', path: 'externalcontact/list', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true, doc: `${DOC}92113`, summary: "A member's customer ids",
  },
  'externalcontact.get': {
    method: 'GET', path: 'externalcontact/get', credentials: CUSTOMER, retrySafe: true, concurrencyLimited: true,
    page: { style: 'cursor', cursorParam: 'cursor', nextCursorField: 'next_cursor', itemsField: 'follow_user' },
    doc: `${DOC}92114`, summary: 'One customer with every member following them',
  },
  'externalcontact.batchGetByUser': {
    method: 'POST', path: 'externalcontact/batch/get_by_user', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true,
    page: { style: 'cursor', cursorParam: 'cursor', nextCursorField: 'next_cursor', itemsField: 'external_contact_list',
      limitParam: 'limit', minLimit: 1, maxLimit: 100, defaultLimit: 50 },
    doc: `${DOC}92994`, summary: 'Customers of up to 100 members, one entry per follow relation',
  },
  'externalcontact.remark': {
    method: 'POST', path: 'externalcontact/remark', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92115`, summary: "Set a member's remark on a customer",
  },
  'externalcontact.getCorpTagList': {
    method: 'POST', path: 'externalcontact/get_corp_tag_list', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true, doc: `${DOC}92117`, summary: 'The corp customer-tag library',
  },
  'externalcontact.addCorpTag': {
    method: 'POST', path: 'externalcontact/add_corp_tag', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92117`, summary: 'Add corp customer tags',
  },
  'externalcontact.editCorpTag': {
    method: 'POST', path: 'externalcontact/edit_corp_tag', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92117`, summary: 'Rename or reorder a corp customer tag',
  },
  'externalcontact.delCorpTag': {
    method: 'POST', path: 'externalcontact/del_corp_tag', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92117`, summary: 'Delete corp customer tags',
  },
  'externalcontact.markTag': {
    method: 'POST', path: 'externalcontact/mark_tag', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92118`, summary: 'Add or remove corp tags on a customer',
  },
  'externalcontact.groupchatList': {
    method: 'POST', path: 'externalcontact/groupchat/list', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true,
    page: { style: 'cursor', cursorParam: 'cursor', nextCursorField: 'next_cursor', itemsField: 'group_chat_list',
      limitParam: 'limit', minLimit: 1, maxLimit: 1000, defaultLimit: 1000, limitRequired: true },
    doc: `${DOC}92120`, summary: 'Customer groups, paged',
  },
  'externalcontact.groupchatGet': {
    method: 'POST', path: 'externalcontact/groupchat/get', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true, doc: `${DOC}92122`, summary: 'One customer group with members and admins',
  },
  'externalcontact.addContactWay': {
    method: 'POST', path: 'externalcontact/add_contact_way', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92228`, summary: 'Create a 「联系我」 contact way',
  },
  'externalcontact.getContactWay': {
    method: 'POST', path: 'externalcontact/get_contact_way', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true, doc: `${DOC}92228`, summary: 'One contact way',
  },
  'externalcontact.listContactWay': {
    method: 'POST', path: 'externalcontact/list_contact_way', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true,
    page: { style: 'cursor', cursorParam: 'cursor', nextCursorField: 'next_cursor', itemsField: 'contact_way',
      limitParam: 'limit', minLimit: 1, maxLimit: 1000, defaultLimit: 100 },
    doc: `${DOC}92228`, summary: 'Contact way ids created in a time window, paged',
  },
  'externalcontact.updateContactWay': {
    method: 'POST', path: 'externalcontact/update_contact_way', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92228`, summary: 'Update a contact way',
  },
  'externalcontact.delContactWay': {
    method: 'POST', path: 'externalcontact/del_contact_way', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92228`, summary: 'Delete a contact way',
  },
  'externalcontact.closeTempChat': {
    method: 'POST', path: 'externalcontact/close_temp_chat', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92228`, summary: 'End a temporary chat',
  },
  // Inheritance (继承): who follows a customer after a member leaves or hands over (wecom-api.md §3 "Related").
  'externalcontact.getUnassignedList': {
    method: 'POST', path: 'externalcontact/get_unassigned_list', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true,
    page: { style: 'cursor', cursorParam: 'cursor', nextCursorField: 'next_cursor', itemsField: 'info', lastPageField: 'is_last',
      limitParam: 'page_size', minLimit: 1, maxLimit: 1000, defaultLimit: 1000 },
    doc: `${DOC}92124`, summary: "Customers of members who left, not yet reassigned, paged",
  },
  'externalcontact.resignedTransferCustomer': {
    method: 'POST', path: 'externalcontact/resigned/transfer_customer', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}94081`, summary: "Reassign a departed member's customers (≤100 per call)",
  },
  'externalcontact.resignedTransferResult': {
    method: 'POST', path: 'externalcontact/resigned/transfer_result', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true,
    page: { style: 'cursor', cursorParam: 'cursor', nextCursorField: 'next_cursor', itemsField: 'customer' },
    doc: `${DOC}94082`, summary: 'Progress of a departed-member reassignment, paged',
  },
  'externalcontact.transferCustomer': {
    method: 'POST', path: 'externalcontact/transfer_customer', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92125`, summary: "Hand over an active member's customers (≤100 per call)",
  },
  'externalcontact.transferResult': {
    method: 'POST', path: 'externalcontact/transfer_result', credentials: CUSTOMER, retrySafe: true,
    concurrencyLimited: true,
    page: { style: 'cursor', cursorParam: 'cursor', nextCursorField: 'next_cursor', itemsField: 'customer' },
    doc: `${DOC}94088`, summary: 'Progress of an active-member handover, paged',
  },
  'externalcontact.groupchatTransfer': {
    method: 'POST', path: 'externalcontact/groupchat/transfer', credentials: CUSTOMER, retrySafe: false,
    doc: `${DOC}92127`, summary: "Give a departed member's customer groups a new owner",
  },

  // §4 Chat archive HTTP APIs (the message pull itself goes through the Finance SDK)
  'msgaudit.getPermitUserList': {
    method: 'POST', path: 'msgaudit/get_permit_user_list', credentials: ARCHIVE, retrySafe: true,
    doc: `${DOC}91614`, summary: 'Members with archiving enabled',
  },
  'msgaudit.checkSingleAgree': {
    method: 'POST', path: 'msgaudit/check_single_agree', credentials: ARCHIVE, retrySafe: true,
    doc: `${DOC}91782`, summary: 'Customer consent for 1:1 chats (≤100 pairs)',
  },
  'msgaudit.checkRoomAgree': {
    method: 'POST', path: 'msgaudit/check_room_agree', credentials: ARCHIVE, retrySafe: true,
    doc: `${DOC}91782`, summary: "External members' consent in a group",
  },
  'msgaudit.groupchatGet': {
    method: 'POST', path: 'msgaudit/groupchat/get', credentials: ARCHIVE, retrySafe: true,
    doc: `${DOC}92951`, summary: 'An internal group: name, owner, members',
  },
  'msgaudit.getRobotInfo': {
    method: 'GET', path: 'msgaudit/get_robot_info', credentials: ARCHIVE, retrySafe: true, perMinute: 600,
    doc: `${DOC}91774`, summary: 'A robot (wb…) name and creator',
  },
} as const satisfies Record<string, EndpointSpec>;

export type EndpointName = keyof typeof endpoints;
export const endpointNames = Object.keys(endpoints) as EndpointName[];

const byPath = new Map<string, EndpointName>(endpointNames.map((name) => [endpoints[name].path, name]));

/** Finds an endpoint by its catalogue key (`user.get`) or its path (`user/get`, `/cgi-bin/user/get`). */
export function findEndpoint(nameOrPath: string): EndpointName | undefined {
  if (nameOrPath in endpoints) return nameOrPath as EndpointName;
  const path = nameOrPath.replace(/^\/?(cgi-bin\/)?/, '').replace(/\?.*$/, '');
  return byPath.get(path);
}

export function endpointSpec(name: EndpointName): EndpointSpec {
  return endpoints[name];
}

/** WeCom's published base limits per corp and API (wecom-api.md §7). */
export const WECOM_LIMITS = {
  perMinute: 10_000,
  perHour: 150_000,
  /** Unpublished; 5 is the figure reported for customer-data APIs and what the sandbox enforces. */
  concurrency: 5,
} as const;
