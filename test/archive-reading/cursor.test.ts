import { expect, it } from 'vitest';
import { readConversation } from '../../src/services/reading.ts';
import { describeStores } from '../helpers/databases.ts';
import { runtimeOver } from './runtime.ts';
import { CORP, seedArchive, SINGLE } from './seed.ts';

/**
 * A conversation paged by cursor in both directions (what the API's ?before=, ?after= and ?around=
 * take): pages fit together without gaps or repeats, say which ends hold more, and give the cursors
 * of the pages beside. SINGLE holds m1…m6 in time order.
 */

const ids = (result: { messages: Array<{ msgid: string }> }) => result.messages.map((m) => m.msgid);

describeStores('reading a conversation by cursor', (getStore) => {
  it('walks backwards and forwards from a message, the pages meeting exactly', async () => {
    await seedArchive(getStore().db, CORP);
    const rt = runtimeOver(getStore(), [CORP]);
    const around = await readConversation(rt, { id: SINGLE, around: 'm3', limit: 3 });
    expect(ids(around)).toEqual(['m2', 'm3', 'm4']);
    expect(around).toMatchObject({ truncated: true, total: 6, direction: 'both', cursors: { before: 'm2', after: 'm4' } });

    const earlier = await readConversation(rt, { id: SINGLE, before: around.cursors.before!, limit: 3 });
    expect(ids(earlier)).toEqual(['m1']);
    expect(earlier.cursors).toEqual({ before: null, after: 'm1' });
    const later = await readConversation(rt, { id: SINGLE, after: around.cursors.after!, limit: 1 });
    expect(ids(later)).toEqual(['m5']);
    expect(later).toMatchObject({ direction: 'both', cursors: { before: 'm5', after: 'm5' } });
    const last = await readConversation(rt, { id: SINGLE, after: 'm5', limit: 10 });
    expect(ids(last)).toEqual(['m6']);
    expect(last).toMatchObject({ direction: 'earlier', cursors: { before: 'm6', after: null } });

    // Without a cursor: the latest page, whose before-cursor continues it.
    const latest = await readConversation(rt, { id: SINGLE, limit: 2 });
    expect(ids(latest)).toEqual(['m5', 'm6']);
    expect(latest.cursors).toEqual({ before: 'm5', after: null });
    expect(ids(await readConversation(rt, { id: SINGLE, before: 'm5', limit: 4 }))).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('refuses a msgid the conversation does not hold, and two cursors at once', async () => {
    await seedArchive(getStore().db, CORP);
    const rt = runtimeOver(getStore(), [CORP]);
    await expect(readConversation(rt, { id: SINGLE, around: 'g1' })).rejects.toMatchObject({ code: 'archive_no_message' });
    await expect(readConversation(rt, { id: SINGLE, before: 'm2', after: 'm4' })).rejects.toMatchObject({ code: 'archive_cursor_conflict' });
  });
});
