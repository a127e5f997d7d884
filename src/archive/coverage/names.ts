import type { Insertable, Kysely } from 'kysely';
import type { ArchiveRoomTable } from '../../store/archive-coverage.table.ts';
import type { Database } from '../../store/database.ts';
import { chunk, rowsPerStatement } from '../../store/sql-kit.ts';
import { mapLimit } from '../../util/parallel.ts';
import type { WecomClient } from '../../wecom/client.ts';
import { ERRCODE } from '../../wecom/errcodes.ts';
import { WecomApiError, WecomMissingCredentialError } from '../../wecom/errors.ts';
import { errorText, isItemError } from './errors.ts';

/**
 * Names instead of ids for the groups and robots of the archive. A group is internal
 * (msgaudit/groupchat/get) or a customer group: 301059 says "not internal", and the customer-contact
 * API (externalcontact/groupchat/get) names it, unless the group sync already did. Robots (`wb…`)
 * are named by msgaudit/get_robot_info. Each lookup is stored, failures with their reason.
 */

const PARALLEL_CALLS = 4;
type RoomRow = Omit<Insertable<ArchiveRoomTable>, 'corp_id'>;

export interface NamesOutcome {
  rooms: number;
  robots: number;
  skipped: string[];
}

/** Looks up the groups and robots not named yet (every one with `full`). */
export async function resolveNames(
  db: Kysely<Database>, corpId: string, client: WecomClient, now: number, full = false,
): Promise<NamesOutcome> {
  const outcome: NamesOutcome = { rooms: 0, robots: 0, skipped: [] };
  await namesFromGroupSync(db, corpId, now);
  const rooms = await db.selectFrom('conversations as c')
    .leftJoin('archive_rooms as r', (j) => j.onRef('r.corp_id', '=', 'c.corp_id').onRef('r.roomid', '=', 'c.conversation_id'))
    .select(['c.conversation_id as roomid', 'r.name', 'r.error']).where('c.corp_id', '=', corpId).where('c.kind', '=', 'group')
    .orderBy('c.conversation_id').execute();
  const todo = rooms.filter((r) => full || r.name === null || r.error !== null).map((r) => r.roomid);
  await mapLimit(todo, PARALLEL_CALLS, async (roomid) => {
    const row = await lookUpRoom(client, roomid, now);
    await saveRooms(db, corpId, [row]);
    if (row.error) outcome.skipped.push(`${roomid}: ${row.error}`);
    else outcome.rooms += 1;
  });

  const robots = await robotIds(db, corpId, full);
  await mapLimit(robots, PARALLEL_CALLS, async (robotId) => {
    let row: { name: string | null; creator_userid: string | null; error: string | null };
    try {
      const res = await client.call('msgaudit.getRobotInfo', { robot_id: robotId }, { credential: 'archive' });
      row = { name: res.data?.name || null, creator_userid: res.data?.creator_userid || null, error: null };
      outcome.robots += 1;
    } catch (err) {
      if (!isItemError(err)) throw err;
      row = { name: null, creator_userid: null, error: errorText(err) };
      outcome.skipped.push(`${robotId}: ${row.error}`);
    }
    await db.insertInto('archive_robots').values({ corp_id: corpId, robot_id: robotId, ...row, fetched_at: now })
      .onConflict((oc) => oc.columns(['corp_id', 'robot_id']).doUpdateSet({ ...row, fetched_at: now })).execute();
  });
  return outcome;
}

async function lookUpRoom(client: WecomClient, roomid: string, now: number): Promise<RoomRow> {
  const base = { roomid, name: null, owner: null, notice: null, room_create_time: null, members: null, fetched_at: now, error: null };
  try {
    const res = await client.call('msgaudit.groupchatGet', { roomid }, { credential: 'archive' });
    return {
      ...base, room_type: 'internal', name: res.roomname || null, owner: res.creator || null, notice: res.notice || null,
      room_create_time: res.room_create_time ? res.room_create_time * 1000 : null,
      members: JSON.stringify((res.members ?? []).map((m) => m.memberid)),
    };
  } catch (err) {
    if (!(err instanceof WecomApiError && err.errcode === ERRCODE.NOT_INTERNAL_GROUP)) {
      if (!isItemError(err)) throw err;
      return { ...base, room_type: 'unknown', error: errorText(err) };
    }
  }
  // 301059: not an internal group, so a customer group, named by the customer-contact API.
  try {
    const { group_chat: g } = await client.call('externalcontact.groupchatGet', { chat_id: roomid });
    return {
      ...base, room_type: 'customer', name: g.name || null, owner: g.owner || null, notice: g.notice || null,
      room_create_time: g.create_time ? g.create_time * 1000 : null,
      members: JSON.stringify((g.member_list ?? []).map((m) => m.userid)),
    };
  } catch (err) {
    if (err instanceof WecomMissingCredentialError || isItemError(err)) {
      return { ...base, room_type: err instanceof WecomApiError && err.errcode === ERRCODE.NOT_CUSTOMER_GROUP ? 'unknown' : 'customer', error: errorText(err) };
    }
    throw err;
  }
}

/** Customer groups the group sync already holds need no call; their names also follow renames. */
async function namesFromGroupSync(db: Kysely<Database>, corpId: string, now: number): Promise<void> {
  const groups = await db.selectFrom('customer_groups as g')
    .innerJoin('conversations as c', (j) => j.onRef('c.corp_id', '=', 'g.corp_id').onRef('c.conversation_id', '=', 'g.chat_id'))
    .select(['g.chat_id', 'g.name', 'g.owner', 'g.notice', 'g.create_time']).where('g.corp_id', '=', corpId).execute();
  await saveRooms(db, corpId, groups.map((g) => ({
    roomid: g.chat_id, room_type: 'customer', name: g.name || null, owner: g.owner, notice: g.notice,
    room_create_time: g.create_time, members: null, fetched_at: now, error: g.name ? null : 'no name in the group sync',
  })));
}

async function saveRooms(db: Kysely<Database>, corpId: string, rows: RoomRow[]): Promise<void> {
  for (const batch of chunk(rows, rowsPerStatement(11))) {
    await db.insertInto('archive_rooms').values(batch.map((r) => ({ ...r, corp_id: corpId })))
      .onConflict((oc) => oc.columns(['corp_id', 'roomid']).doUpdateSet((eb) => ({
        room_type: eb.ref('excluded.room_type'), name: eb.ref('excluded.name'), owner: eb.ref('excluded.owner'),
        notice: eb.ref('excluded.notice'), room_create_time: eb.ref('excluded.room_create_time'),
        members: eb.ref('excluded.members'), fetched_at: eb.ref('excluded.fetched_at'), error: eb.ref('excluded.error'),
      }))).execute();
    // The conversation list shows conversations.name: keep it in step with what was found.
    for (const row of batch.filter((r) => r.name)) {
      await db.updateTable('conversations').set({ name: row.name }).where('corp_id', '=', corpId)
        .where('conversation_id', '=', row.roomid).execute();
    }
  }
}

/** Robots that sent messages (`wb…` ids; the sender index serves the range). */
async function robotIds(db: Kysely<Database>, corpId: string, full: boolean): Promise<string[]> {
  const senders = await db.selectFrom('messages').select('sender').distinct().where('corp_id', '=', corpId)
    .where('sender', '>=', 'wb').where('sender', '<', 'wc').execute();
  const known = full ? [] : await db.selectFrom('archive_robots').select('robot_id').where('corp_id', '=', corpId)
    .where('error', 'is', null).where('name', 'is not', null).execute();
  const done = new Set(known.map((r) => r.robot_id));
  // The range is only a pre-filter (a collation may order ids unexpectedly): the prefix decides.
  return senders.map((r) => r.sender ?? '').filter((id) => id.startsWith('wb') && !done.has(id)).sort();
}
