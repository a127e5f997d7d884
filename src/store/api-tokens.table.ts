/** API tokens: the hash of each token, never the token (services/tokens.ts makes and checks them). */
export interface ApiTokenTable {
  /** A UUID made in TypeScript. */
  id: string;
  /** Given by the operator (`tokens create --name`): who or what uses it. */
  name: string;
  /** SHA-256 of the whole token, hex. */
  token_hash: string;
  /** The token's first characters (`wca_AbCd`), to recognise it in a list. */
  prefix: string;
  created_at: number;
  /** Updated at most once a minute per token (no write per request). */
  last_used_at: number | null;
  revoked_at: number | null;
  /** admin, auditor, manager or viewer; tokens made before roles existed are auditors. */
  role: string;
  /** JSON array of corp ids; empty: every configured corp. */
  corps: string;
  /** JSON array of department ids (a manager's subtrees). */
  departments: string;
}
