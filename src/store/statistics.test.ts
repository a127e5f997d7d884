import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { flushSearchIndex, refreshStatistics } from './statistics.ts';
import { syncStateRepository } from './sync-state.repository.ts';

describeStores('planner statistics', (getStore, dialect) => {
  it('analyses messages once it holds enough rows never analysed, then not again until it doubles', async () => {
    const { db } = getStore();
    if (dialect === 'sqlite') {
      expect(await refreshStatistics(db)).toEqual([]);
      return;
    }
    await syncStateRepository.ensureCorp(db, 'wwStats');
    const insert = (from: number, to: number) => sql`insert into messages (corp_id, seq, msgid, encrypt_random_key, encrypt_chat_msg, status, ingested_at)
      select 'wwStats', i, 'm' || i, 'k', 'c', 'decrypted', 0 from generate_series(${from}::int, ${to}::int) as i`.execute(db);
    await insert(1, 6_000);
    // The insert counts reach pg_stat_user_tables when the writing session next reports (about a second).
    let analysed: string[] = [];
    for (let tries = 0; tries < 100 && !analysed.includes('messages'); tries++) {
      analysed = await refreshStatistics(db);
      if (!analysed.includes('messages')) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(analysed).toEqual(['messages']);
    const { rows } = await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = 'messages'::regclass`.execute(db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(5_000);
    await insert(6_001, 7_000);
    expect(await refreshStatistics(db)).toEqual([]);
  });

  it('flushes the trigram index pending list on PostgreSQL, and does nothing on SQLite', async () => {
    const { db } = getStore();
    if (dialect === 'sqlite') {
      expect(await flushSearchIndex(db)).toBe(0);
      return;
    }
    await syncStateRepository.ensureCorp(db, 'wwStats');
    await sql`insert into messages (corp_id, seq, msgid, encrypt_random_key, encrypt_chat_msg, status, search_text, ingested_at)
      select 'wwStats', i, 'p' || i, 'k', 'c', 'decrypted', '第' || i || '条测试消息', 0 from generate_series(1, 500) as i`.execute(db);
    expect(await flushSearchIndex(db)).toBeGreaterThan(0);
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from messages where search_text like '%条测试消%'`.execute(db);
    expect(rows[0]!.n).toBe('500');
    expect(await flushSearchIndex(db)).toBe(0);
  });
});
