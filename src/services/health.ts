import { pendingMigrations } from '../store/migrate.ts';
import { isUserError } from '../util/errors.ts';
import { redactText } from '../util/redact.ts';
import type { Runtime } from './runtime.ts';
import type { Readiness } from './types/health.ts';

/**
 * Whether this process can serve: its store opens (opening migrates it) and holds every migration.
 * Never throws: a store that cannot be opened is an answer (not ready, and why), tried again on the
 * next check.
 */
export async function checkReadiness(rt: Runtime): Promise<Readiness> {
  try {
    const store = await rt.store();
    const pending = await pendingMigrations(store.db, store.dialect);
    return { ok: pending.length === 0, store: { reachable: true, dialect: store.dialect, location: store.location, pending, error: null } };
  } catch (err) {
    const message = isUserError(err) ? err.describe(rt.deployment.lang).what : err instanceof Error ? err.message : String(err);
    return { ok: false, store: { reachable: false, dialect: rt.deployment.databaseUrl ? 'postgres' : 'sqlite', location: null, pending: [], error: redactText(message) } };
  }
}
