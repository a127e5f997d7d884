import type { Kysely } from 'kysely';
import type { Lang } from '../../i18n/index.ts';
import type { RoomType } from '../../store/archive-coverage.table.ts';
import type { Database } from '../../store/database.ts';
import { chunk, rowsPerStatement } from '../../store/sql-kit.ts';
import { partyKind, type PartyKind } from '../parser/index.ts';

/**
 * Names instead of ids, for everything the archive shows: employees and customers from the synced
 * directory, robots and groups from the coverage refresh (src/archive/coverage), customer groups
 * from the group sync. An id nobody knows keeps its id, and its kind as the id's shape suggests.
 */

export interface PartyName {
  id: string;
  kind: PartyKind;
  /** null when the directory does not know the id (not synced, left, or out of scope). */
  name: string | null;
}

export interface RoomName {
  roomid: string;
  name: string | null;
  /** internal / customer from the coverage refresh or the group sync; null when not yet known. */
  type: RoomType | null;
}

export class NameBook {
  private readonly parties = new Map<string, PartyName>();
  private readonly rooms = new Map<string, RoomName>();

  constructor(private readonly db: Kysely<Database>, private readonly corpId: string) {}

  /** Looks up the ids not looked up yet, in batches. */
  async load(ids: Iterable<string>): Promise<this> {
    const wanted = [...new Set(ids)].filter((id) => id && !this.parties.has(id));
    for (const id of wanted) this.parties.set(id, { id, kind: partyKind(id), name: null });
    for (const batch of chunk(wanted, rowsPerStatement(1))) {
      const [employees, customers, robots] = await Promise.all([
        this.db.selectFrom('employees').select(['userid as id', 'name'])
          .where('corp_id', '=', this.corpId).where('userid', 'in', batch).execute(),
        this.db.selectFrom('customers').select(['external_userid as id', 'name'])
          .where('corp_id', '=', this.corpId).where('external_userid', 'in', batch).execute(),
        this.db.selectFrom('archive_robots').select(['robot_id as id', 'name'])
          .where('corp_id', '=', this.corpId).where('robot_id', 'in', batch).execute(),
      ]);
      // The directory's word beats the id's shape: a member's userid may well start with "wo".
      for (const row of robots) this.parties.set(row.id, { id: row.id, kind: 'robot', name: row.name });
      for (const row of customers) this.parties.set(row.id, { id: row.id, kind: 'customer', name: row.name });
      for (const row of employees) this.parties.set(row.id, { id: row.id, kind: 'employee', name: row.name });
    }
    return this;
  }

  /** Group names: the conversation's own, else the coverage refresh's, else the synced customer group's. */
  async loadRooms(roomids: Iterable<string>): Promise<this> {
    const wanted = [...new Set(roomids)].filter((id) => id && !this.rooms.has(id));
    for (const batch of chunk(wanted, rowsPerStatement(1))) {
      const [conversations, rooms, groups] = await Promise.all([
        this.db.selectFrom('conversations').select(['conversation_id as id', 'name'])
          .where('corp_id', '=', this.corpId).where('conversation_id', 'in', batch).execute(),
        this.db.selectFrom('archive_rooms').select(['roomid as id', 'name', 'room_type'])
          .where('corp_id', '=', this.corpId).where('roomid', 'in', batch).execute(),
        this.db.selectFrom('customer_groups').select(['chat_id as id', 'name'])
          .where('corp_id', '=', this.corpId).where('chat_id', 'in', batch).execute(),
      ]);
      const named = (rows: { id: string; name: string | null }[]) => new Map(rows.filter((r) => r.name).map((r) => [r.id, r.name!]));
      const byConversation = named(conversations);
      const byRoom = named(rooms);
      const byGroup = named(groups);
      const types = new Map<string, RoomType>(rooms.filter((r) => r.room_type !== 'unknown').map((r) => [r.id, r.room_type]));
      // A group the customer-group sync knows is a customer group, named or not.
      for (const g of groups) if (!types.has(g.id)) types.set(g.id, 'customer');
      for (const id of batch) {
        this.rooms.set(id, {
          roomid: id,
          name: byConversation.get(id) ?? byRoom.get(id) ?? byGroup.get(id) ?? null,
          type: types.get(id) ?? null,
        });
      }
    }
    return this;
  }

  party(id: string): PartyName {
    return this.parties.get(id) ?? { id, kind: partyKind(id), name: null };
  }

  room(roomid: string): RoomName {
    return this.rooms.get(roomid) ?? { roomid, name: null, type: null };
  }

  /** How a person is written in a line: 张三, 客户李四, 机器人日报助手 (the id when unnamed). */
  label(id: string, lang: Lang): string {
    return partyLabel(this.party(id), lang);
  }
}

export function partyLabel(party: PartyName, lang: Lang): string {
  const name = party.name || party.id;
  if (party.kind === 'employee') return name;
  if (lang === 'zh') return `${party.kind === 'customer' ? '客户' : '机器人'}${name}`;
  return `${name} (${party.kind})`;
}

export function roomLabel(room: RoomName, lang: Lang): string {
  if (room.name) return room.name;
  return lang === 'zh' ? `未命名群 ${room.roomid}` : `unnamed group ${room.roomid}`;
}
