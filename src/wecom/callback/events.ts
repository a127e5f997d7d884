/**
 * The callback event catalogue, declared once (wecom-api.md §5.5, §5.6 and §4 msgaudit_notify).
 * One row per (Event, ChangeType): which configured callback URL delivers it, whether it carries the
 * record or only ids (then the handler re-reads the record by id through the API), and its fields
 * with the names WeCom uses in the XML. The parser, the types, the dedupe key and the tests all
 * derive from this table; nothing else names an event.
 */

/** The callback URLs a corp configures, each with its own Token and EncodingAESKey. */
export type CallbackKind =
  | 'app' // a self-built app's 接收消息 URL (members/departments in its visible scope, customer events when it is a 可调用应用)
  | 'contacts' // 通讯录同步's 接收事件服务器
  | 'customer' // 客户联系's 接收事件服务器
  | 'archive'; // 会话内容存档's callback

/**
 * How a field's text becomes a value. `id`, `ids` and `items` are identifiers; `code` is one of a
 * known set of values (listed in CODE_VALUES), kept as text so a new value is never an error.
 */
export type FieldType = 'id' | 'ids' | 'items' | 'text' | 'int' | 'ints' | 'code' | 'extattr';

export interface ExtAttrItem {
  name: string;
  /** 0 text, 1 web page (§5.5). */
  type: number;
  text?: string;
  web?: { title: string; url: string };
}

/** The value each field type parses to. */
export interface FieldValue {
  id: string;
  ids: string[];
  items: string[];
  text: string;
  int: number;
  ints: number[];
  code: string;
  extattr: ExtAttrItem[];
}

export interface EventSpec {
  event: string;
  /** Absent for events that have none (msgaudit_notify). */
  changeType?: string;
  deliveredBy: readonly CallbackKind[];
  /** `ids`: the handler fetches the record by id (or deletes it); `record`: the fields are the change itself. */
  carries: 'ids' | 'record' | 'nothing';
  fields: Readonly<Record<string, FieldType>>;
}

const CONTACTS = ['contacts', 'app'] as const;
const CUSTOMER = ['customer', 'app'] as const;

/** Member fields of create_user, and of update_user when changed (§5.5). */
const MEMBER = {
  Name: 'text', Department: 'ids', MainDepartment: 'id', IsLeaderInDept: 'ints', DirectLeader: 'ids', Position: 'text',
  Mobile: 'text', Gender: 'code', Email: 'text', BizMail: 'text', Status: 'int', Avatar: 'text', Alias: 'text',
  Telephone: 'text', Address: 'text', ExtAttr: 'extattr',
} as const;

const CONTACT_PAIR = { UserID: 'id', ExternalUserID: 'id' } as const;
const WELCOME = { ...CONTACT_PAIR, State: 'text', WelcomeCode: 'text' } as const;
const TAG = { Id: 'id', TagType: 'code', StrategyId: 'id' } as const;

export const CALLBACK_EVENTS = {
  'change_contact.create_user': { event: 'change_contact', changeType: 'create_user', deliveredBy: CONTACTS, carries: 'record', fields: { UserID: 'id', ...MEMBER } },
  'change_contact.update_user': { event: 'change_contact', changeType: 'update_user', deliveredBy: CONTACTS, carries: 'record', fields: { UserID: 'id', NewUserID: 'id', ...MEMBER } },
  'change_contact.delete_user': { event: 'change_contact', changeType: 'delete_user', deliveredBy: CONTACTS, carries: 'ids', fields: { UserID: 'id' } },
  'change_contact.create_party': { event: 'change_contact', changeType: 'create_party', deliveredBy: CONTACTS, carries: 'record', fields: { Id: 'id', Name: 'text', ParentId: 'id', Order: 'int' } },
  'change_contact.update_party': { event: 'change_contact', changeType: 'update_party', deliveredBy: CONTACTS, carries: 'record', fields: { Id: 'id', Name: 'text', ParentId: 'id' } },
  'change_contact.delete_party': { event: 'change_contact', changeType: 'delete_party', deliveredBy: CONTACTS, carries: 'ids', fields: { Id: 'id' } },
  'change_contact.update_tag': { event: 'change_contact', changeType: 'update_tag', deliveredBy: CONTACTS, carries: 'ids',
    fields: { TagId: 'id', AddUserItems: 'ids', DelUserItems: 'ids', AddPartyItems: 'ids', DelPartyItems: 'ids' } },

  'change_external_contact.add_external_contact': { event: 'change_external_contact', changeType: 'add_external_contact', deliveredBy: CUSTOMER, carries: 'ids', fields: WELCOME },
  'change_external_contact.edit_external_contact': { event: 'change_external_contact', changeType: 'edit_external_contact', deliveredBy: CUSTOMER, carries: 'ids', fields: CONTACT_PAIR },
  'change_external_contact.add_half_external_contact': { event: 'change_external_contact', changeType: 'add_half_external_contact', deliveredBy: CUSTOMER, carries: 'ids', fields: WELCOME },
  'change_external_contact.del_external_contact': { event: 'change_external_contact', changeType: 'del_external_contact', deliveredBy: CUSTOMER, carries: 'ids', fields: { ...CONTACT_PAIR, Source: 'code' } },
  'change_external_contact.del_follow_user': { event: 'change_external_contact', changeType: 'del_follow_user', deliveredBy: CUSTOMER, carries: 'ids', fields: CONTACT_PAIR },
  'change_external_contact.transfer_fail': { event: 'change_external_contact', changeType: 'transfer_fail', deliveredBy: CUSTOMER, carries: 'ids', fields: { ...CONTACT_PAIR, FailReason: 'code' } },
  // §5.6: a customer agreed to chat archiving; applied to the consent record like an `agree` message.
  'change_external_contact.msg_audit_approved': { event: 'change_external_contact', changeType: 'msg_audit_approved', deliveredBy: CUSTOMER, carries: 'ids', fields: { ...CONTACT_PAIR, WelcomeCode: 'text' } },

  'change_external_chat.create': { event: 'change_external_chat', changeType: 'create', deliveredBy: CUSTOMER, carries: 'ids', fields: { ChatId: 'id' } },
  // §5.6: the member fields can come whatever UpdateDetail says, so they are always read.
  'change_external_chat.update': { event: 'change_external_chat', changeType: 'update', deliveredBy: CUSTOMER, carries: 'ids',
    fields: { ChatId: 'id', UpdateDetail: 'code', JoinScene: 'int', QuitScene: 'int', MemChangeCnt: 'int', MemChangeList: 'items', LastMemVer: 'text', CurMemVer: 'text' } },
  'change_external_chat.dismiss': { event: 'change_external_chat', changeType: 'dismiss', deliveredBy: CUSTOMER, carries: 'ids', fields: { ChatId: 'id' } },

  // On any tag event the handler re-reads the tag library (deleting a group sends no per-tag event).
  'change_external_tag.create': { event: 'change_external_tag', changeType: 'create', deliveredBy: CUSTOMER, carries: 'ids', fields: TAG },
  'change_external_tag.update': { event: 'change_external_tag', changeType: 'update', deliveredBy: CUSTOMER, carries: 'ids', fields: TAG },
  'change_external_tag.delete': { event: 'change_external_tag', changeType: 'delete', deliveredBy: CUSTOMER, carries: 'ids', fields: TAG },
  // Id: the group whose tags were reordered; empty: the order of the groups changed. No TagType.
  'change_external_tag.shuffle': { event: 'change_external_tag', changeType: 'shuffle', deliveredBy: CUSTOMER, carries: 'ids', fields: { Id: 'id', StrategyId: 'id' } },

  // New archived messages exist: pull from the last seq. Carries no message data (§4).
  msgaudit_notify: { event: 'msgaudit_notify', deliveredBy: ['archive'], carries: 'nothing', fields: {} },
} as const satisfies Record<string, EventSpec>;

export type EventKind = keyof typeof CALLBACK_EVENTS;
export const EVENT_KINDS = Object.keys(CALLBACK_EVENTS) as EventKind[];

/** The values WeCom documents for `code` fields. Others are kept as they come, never refused. */
export const CODE_VALUES = {
  Gender: ['0', '1', '2'], // unset, male, female
  Source: ['DELETE_BY_TRANSFER'],
  FailReason: ['customer_refused', 'customer_limit_exceed'],
  UpdateDetail: ['add_member', 'del_member', 'change_owner', 'change_name', 'change_notice'],
  TagType: ['tag', 'tag_group'],
} as const satisfies Record<string, readonly string[]>;

/** The catalogue row for an (Event, ChangeType) pair, if it is one we know. */
const BY_PAIR = new Map<string, EventKind>(
  EVENT_KINDS.map((kind) => {
    const spec: EventSpec = CALLBACK_EVENTS[kind];
    return [`${spec.event}\u0000${spec.changeType ?? ''}`, kind];
  }),
);

export function eventKindOf(event: string, changeType: string | undefined): EventKind | undefined {
  const spec = BY_PAIR.get(`${event}\u0000${changeType ?? ''}`);
  // msgaudit_notify has no ChangeType; tolerate one rather than call the event unknown.
  return spec ?? (event === 'msgaudit_notify' ? 'msgaudit_notify' : undefined);
}

/** The fields of one kind, typed from the catalogue; all optional (update_* carry only what changed). */
export type EventFields<K extends EventKind> = {
  -readonly [F in keyof (typeof CALLBACK_EVENTS)[K]['fields']]?: FieldValue[(typeof CALLBACK_EVENTS)[K]['fields'][F] & FieldType];
};
