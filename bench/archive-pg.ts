import pg from 'pg';

/**
 * BENCH_DATABASE_URL: each size pulls into a schema of its own (a store that already holds the
 * fixture would only find duplicates), selected like the tests do with `options=-c search_path=…`
 * (pg_trgm lives in public), and dropped afterwards.
 */
export async function freshPostgresSchema(databaseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `wa_bench_archive_${process.pid}_${Date.now()}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return { url: url.toString(), drop: () => admin(`drop schema if exists ${schema} cascade`) };
}
