/** `corps`: the configured corps, with where their sync and archive stand. */
export interface CorpsReport {
  ok: true;
  corps: CorpOverview[];
  truncated: false;
}

export type CredentialKindName = 'app' | 'contacts' | 'customer' | 'archive';

export interface CorpOverview {
  corpId: string;
  /** The config file it comes from (undefined: the environment alone). */
  file: string | null;
  /** The secrets configured, by kind. */
  credentials: CredentialKindName[];
  /** The newest directory/customer/group sync run; null: never synced. */
  lastSync: { startedAt: number; finishedAt: number | null; status: string; kind: string } | null;
  archive: {
    /** The seq the next pull starts after; null: never pulled. */
    lastSeq: string | null;
    messages: number;
    /** Newest archived message (UTC ms), and how long ago it was sent. */
    newestMsgtime: number | null;
    lagMs: number | null;
    lastPullAt: number | null;
  };
}
