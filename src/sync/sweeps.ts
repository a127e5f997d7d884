import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { chunk } from '../store/sql-kit.ts';
import { sweep, type StreamContext } from './context.ts';

/**
 * Deletions no single listing can see, run once every batch of follow users has been listed in full:
 * - relations of members who no longer follow customers at all (left, lost customer contact, or out
 *   of the app's scope): no batch asks for them any more;
 * - customers with no live relation left: nobody in the corp follows them now.
 */
export async function sweepOrphans(ctx: StreamContext, trx: Kysely<Database>, followUsers: readonly string[]): Promise<void> {
  const current = new Set(followUsers);
  const rows = await trx.selectFrom('follow_relations').select('userid').distinct()
    .where('corp_id', '=', ctx.corpId).where('deleted_at', 'is', null).execute();
  const gone = rows.map((r) => r.userid).filter((userid) => !current.has(userid));
  for (const userids of chunk(gone, 500)) await sweep(ctx, trx, 'follow_relations', [], { userid: userids });

  // Only a customer whose relation was marked deleted during this pass can have lost its last one.
  const touched = trx.selectFrom('follow_relations').select('external_userid')
    .where('corp_id', '=', ctx.corpId).where('deleted_at', '>=', ctx.state.startedAt);
  const result = await trx.updateTable('customers').set({ deleted_at: ctx.now(), run_id: ctx.runId })
    .where('customers.corp_id', '=', ctx.corpId).where('customers.deleted_at', 'is', null)
    .where('customers.external_userid', 'in', touched)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('follow_relations as f').select('f.userid')
      .whereRef('f.corp_id', '=', 'customers.corp_id').whereRef('f.external_userid', '=', 'customers.external_userid')
      .where('f.deleted_at', 'is', null))))
    .executeTakeFirst();
  ctx.tally.deleted('customers', Number(result.numUpdatedRows));
}
