/**
 * Who and what the chat archive covers (issue 5 §2), filled by src/archive/coverage from the archive
 * HTTP APIs (wecom-api.md §4) and from the archive's own agree/disagree messages. Times are epoch ms.
 */

/** One member get_permit_user_list returned at the last refresh; the whole set is replaced each time. */
export interface ArchivePermitUserTable {
  corp_id: string;
  userid: string;
  /** When archiving was first seen on for this member (kept across refreshes). */
  first_seen_at: number;
  fetched_at: number;
}

/** `Default_Agree` is sent for customers the corp may archive without asking (doc 91782). */
export const CONSENT_STATUSES = ['Agree', 'Disagree', 'Default_Agree'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/**
 * api: check_single_agree / check_room_agree; message: an agree/disagree message in the archive;
 * callback: the msg_audit_approved event (wecom-api.md §5.6).
 */
export const CONSENT_SOURCES = ['api', 'message', 'callback'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** The consent is towards one member (1:1 chats) or inside one group. */
export const CONSENT_PARTY_KINDS = ['employee', 'room'] as const;
export type ConsentPartyKind = (typeof CONSENT_PARTY_KINDS)[number];

/**
 * A customer's consent to archiving, as a history: one row per status seen (a changed status has a
 * new status_change_time, so older rows stay as evidence). The current status of a (customer, party)
 * is its row with the latest status_change_time.
 */
export interface ArchiveConsentTable {
  corp_id: string;
  external_userid: string;
  party_kind: ConsentPartyKind;
  /** userid (employee) or roomid (room). */
  party_id: string;
  status: ConsentStatus;
  /** 0 when WeCom gives no time. */
  status_change_time: number;
  source: ConsentSource;
  /** The agree/disagree message, for source `message`. */
  msgid: string | null;
  /** Last time this status was confirmed (the API re-reads it on every refresh). */
  checked_at: number;
}

export const ROOM_TYPES = ['internal', 'customer', 'unknown'] as const;
export type RoomType = (typeof ROOM_TYPES)[number];

/** A group seen in the archive: internal (msgaudit/groupchat/get) or customer (externalcontact/groupchat/get). */
export interface ArchiveRoomTable {
  corp_id: string;
  roomid: string;
  room_type: RoomType;
  name: string | null;
  /** Creator (internal) or owner (customer group). */
  owner: string | null;
  notice: string | null;
  room_create_time: number | null;
  /** JSON array of member ids, as the API listed them. */
  members: string | null;
  fetched_at: number;
  /** Why the name could not be found (`errcode errmsg`), null when it was. */
  error: string | null;
}

/** A robot (`wb…`) seen in the archive (msgaudit/get_robot_info). */
export interface ArchiveRobotTable {
  corp_id: string;
  robot_id: string;
  name: string | null;
  creator_userid: string | null;
  fetched_at: number;
  error: string | null;
}

/** When each part of the coverage was last refreshed, so "never" and "empty" are told apart. */
export const COVERAGE_PARTS = ['permits', 'consent', 'names'] as const;
export type CoveragePart = (typeof COVERAGE_PARTS)[number];

export interface ArchiveCoverageStateTable {
  corp_id: string;
  part: CoveragePart;
  /** The last successful refresh; null when none has succeeded yet. */
  refreshed_at: number | null;
  /** The last refresh's failure, null when it succeeded. */
  error: string | null;
}
