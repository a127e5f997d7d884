/** `/readyz`: whether the store is reachable and migrated. */
export interface Readiness {
  ok: boolean;
  store: {
    reachable: boolean;
    dialect: 'sqlite' | 'postgres' | null;
    /** The SQLite file or the PostgreSQL URL, password redacted. */
    location: string | null;
    /** Migrations not yet applied. */
    pending: string[];
    /** Why it could not be opened (redacted). */
    error: string | null;
  };
}
