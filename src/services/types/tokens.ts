/** `tokens …`: the API tokens. The token itself appears once, in `tokens create`'s result. */
import type { Grant } from './auth.ts';

export interface TokenItem extends Grant {
  id: string;
  name: string;
  /** The token's first characters (`wca_AbCdEf`), to recognise it. */
  prefix: string;
  createdAt: number;
  /** To the minute (a use is recorded at most once a minute). */
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface CreatedToken extends Grant {
  ok: true;
  /** The bearer token: shown this once, stored only as a hash. */
  token: string;
  id: string;
  name: string;
  prefix: string;
  createdAt: number;
}

export interface TokensResult {
  ok: true;
  tokens: TokenItem[];
  truncated: false;
}

export interface RevokedToken {
  ok: true;
  token: TokenItem;
}
