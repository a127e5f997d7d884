import { sql, type Kysely } from 'kysely';
import type { ConsentPartyKind, ConsentSource, ConsentStatus, CoveragePart, RoomType } from '../../store/archive-coverage.table.ts';
import type { Database } from '../../store/database.ts';
import { NameBook, type PartyName, type RoomName } from '../reading/names.ts';
import { partStates } from './store.ts';

/**
 * The coverage as stored by the last refresh: who is archived and who is not, which customers
 * refuse, which groups and robots still have no name. Read-only, so `status` and `doctor` show it
 * without calling WeCom.
 */

export interface RefusingCustomer {
  customer: PartyName;
  /** The member (1:1 chat) or the group the refusal concerns. */
  party: { kind: ConsentPartyKind; id: string; name: string | null };
  /** When the customer refused (UTC ms; 0 when WeCom gave no time). */
  time: number;
  source: ConsentSource;
  msgid: string | null;
}

export interface CoverageReport {
  corpId: string;
  refreshed: Record<CoveragePart, { at: number | null; error: string | null } | null>;
  permits: {
    /** Members on the permit list. */
    permitted: number;
    /** Live members in the synced directory. */
    directory: number;
    /** Directory members on the list. */
    archived: number;
    /** Directory members not on it: their chats are not archived. */
    notArchived: PartyName[];
    /** On the list but not in the directory (left, or outside the sync's scope). */
    unknown: string[];
  };
  consent: {
    /** Current status per (customer, member or group), counted. */
    current: Record<ConsentStatus, number>;
    /** Customers whose current status is Disagree, newest first (at most `limit`). */
    refusing: RefusingCustomer[];
    refusingTotal: number;
    /** agree/disagree messages found in the archive. */
    fromMessages: number;
  };
  names: {
    groups: number;
    byType: Record<RoomType | 'unresolved', number>;
    /** Group conversations without a name, with why (when a lookup failed). */
    unnamed: Array<{ room: RoomName; error: string | null }>;
    unnamedTotal: number;
    robots: Array<{ id: string; name: string | null; creator: string | null; error: string | null }>;
  };
}

export async function coverageReport(db: Kysely<Database>, corpId: string, limit = 200): Promise<CoverageReport> {
  const states = await partStates(db, corpId);
  const refreshed = { permits: states.get('permits') ?? null, consent: states.get('consent') ?? null, names: states.get('names') ?? null };
  return { corpId, refreshed, permits: await permits(db, corpId), consent: await consent(db, corpId, limit), names: await names(db, corpId, limit) };
}

async function permits(db: Kysely<Database>, corpId: string): Promise<CoverageReport['permits']> {
  const [permitted, employees] = await Promise.all([
    db.selectFrom('archive_permit_users').select('userid').where('corp_id', '=', corpId).execute(),
    db.selectFrom('employees').select(['userid', 'name']).where('corp_id', '=', corpId).where('deleted_at', 'is', null)
      .orderBy('userid').execute(),
  ]);
  const onList = new Set(permitted.map((p) => p.userid));
  const inDirectory = new Set(employees.map((e) => e.userid));
  return {
    permitted: onList.size,
    directory: employees.length,
    archived: employees.filter((e) => onList.has(e.userid)).length,
    notArchived: employees.filter((e) => !onList.has(e.userid)).map((e) => ({ id: e.userid, kind: 'employee', name: e.name })),
    unknown: [...onList].filter((id) => !inDirectory.has(id)).sort(),
  };
}

/** The latest row of each (customer, party); on equal times WeCom's answer ('api' < 'message') wins. */
function currentConsents(db: Kysely<Database>, corpId: string) {
  return db.selectFrom('archive_consents as c').where('c.corp_id', '=', corpId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('archive_consents as n').select('n.status')
      .whereRef('n.corp_id', '=', 'c.corp_id').whereRef('n.external_userid', '=', 'c.external_userid')
      .whereRef('n.party_kind', '=', 'c.party_kind').whereRef('n.party_id', '=', 'c.party_id')
      .where((eb) => eb.or([
        eb('n.status_change_time', '>', eb.ref('c.status_change_time')),
        eb.and([eb('n.status_change_time', '=', eb.ref('c.status_change_time')), eb('n.source', '<', eb.ref('c.source'))]),
      ])))));
}

async function consent(db: Kysely<Database>, corpId: string, limit: number): Promise<CoverageReport['consent']> {
  const counts = await currentConsents(db, corpId).select(['c.status', sql<number>`count(*)`.as('n')]).groupBy('c.status').execute();
  const current: Record<ConsentStatus, number> = { Agree: 0, Disagree: 0, Default_Agree: 0 };
  for (const row of counts) current[row.status] = Number(row.n);
  const refusing = await currentConsents(db, corpId).where('c.status', '=', 'Disagree')
    .select(['c.external_userid', 'c.party_kind', 'c.party_id', 'c.status_change_time', 'c.source', 'c.msgid'])
    .orderBy('c.status_change_time', 'desc').orderBy('c.external_userid').limit(limit).execute();
  const fromMessages = await db.selectFrom('archive_consents').select(sql<number>`count(*)`.as('n'))
    .where('corp_id', '=', corpId).where('source', '=', 'message').executeTakeFirst();

  const book = new NameBook(db, corpId);
  await book.load(refusing.flatMap((r) => (r.party_kind === 'employee' ? [r.external_userid, r.party_id] : [r.external_userid])));
  await book.loadRooms(refusing.filter((r) => r.party_kind === 'room').map((r) => r.party_id));
  return {
    current,
    refusing: refusing.map((r) => ({
      customer: book.party(r.external_userid),
      party: { kind: r.party_kind, id: r.party_id, name: r.party_kind === 'room' ? book.room(r.party_id).name : book.party(r.party_id).name },
      time: r.status_change_time, source: r.source, msgid: r.msgid,
    })),
    refusingTotal: current.Disagree,
    fromMessages: Number(fromMessages?.n ?? 0),
  };
}

async function names(db: Kysely<Database>, corpId: string, limit: number): Promise<CoverageReport['names']> {
  const groups = await db.selectFrom('conversations as c')
    .leftJoin('archive_rooms as r', (j) => j.onRef('r.corp_id', '=', 'c.corp_id').onRef('r.roomid', '=', 'c.conversation_id'))
    .select(['c.conversation_id', 'r.room_type', 'r.error']).where('c.corp_id', '=', corpId).where('c.kind', '=', 'group')
    .orderBy('c.conversation_id').execute();
  const book = await new NameBook(db, corpId).loadRooms(groups.map((g) => g.conversation_id));
  const byType: CoverageReport['names']['byType'] = { internal: 0, customer: 0, unknown: 0, unresolved: 0 };
  const unnamed: CoverageReport['names']['unnamed'] = [];
  let unnamedTotal = 0;
  for (const g of groups) {
    const room = book.room(g.conversation_id);
    byType[g.room_type ?? room.type ?? 'unresolved'] += 1;
    if (room.name) continue;
    unnamedTotal += 1;
    if (unnamed.length < limit) unnamed.push({ room, error: g.error });
  }
  const robots = await db.selectFrom('archive_robots').select(['robot_id', 'name', 'creator_userid', 'error'])
    .where('corp_id', '=', corpId).orderBy('robot_id').execute();
  return {
    groups: groups.length, byType, unnamed, unnamedTotal,
    robots: robots.map((r) => ({ id: r.robot_id, name: r.name, creator: r.creator_userid, error: r.error })),
  };
}

export interface ConsentEvent {
  party: { kind: ConsentPartyKind; id: string; name: string | null };
  status: ConsentStatus;
  /** UTC ms; 0 when WeCom gave no time. */
  time: number;
  source: ConsentSource;
  msgid: string | null;
  checkedAt: number;
}

/** A customer's consent history, newest first: what their record shows (every member and group). */
export async function consentHistory(db: Kysely<Database>, corpId: string, externalUserid: string): Promise<ConsentEvent[]> {
  const rows = await db.selectFrom('archive_consents').selectAll().where('corp_id', '=', corpId)
    .where('external_userid', '=', externalUserid).orderBy('status_change_time', 'desc').orderBy('source').execute();
  const book = await new NameBook(db, corpId).load(rows.filter((r) => r.party_kind === 'employee').map((r) => r.party_id));
  await book.loadRooms(rows.filter((r) => r.party_kind === 'room').map((r) => r.party_id));
  return rows.map((r) => ({
    party: { kind: r.party_kind, id: r.party_id, name: r.party_kind === 'room' ? book.room(r.party_id).name : book.party(r.party_id).name },
    status: r.status, time: r.status_change_time, source: r.source, msgid: r.msgid, checkedAt: r.checked_at,
  }));
}
