/**
 * `doctor`: every check for each corp in scope, rendered in the asked language (secrets redacted).
 * `ok` is the health of the whole deployment (the command exits 1 when false); the checks are one
 * list, each row carrying its corp, and `corps` says per corp whether it passed and what set-up fits.
 */
export interface DoctorResult {
  ok: boolean;
  corps: DoctorCorp[];
  checks: DoctorCheck[];
}

export type DoctorCheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface DoctorCorp {
  /** null: the config has no CORP_ID (one of its failed checks says so). */
  corpId: string | null;
  /** The config file it comes from; null: the environment alone. */
  file: string | null;
  ok: boolean;
  counts: Record<DoctorCheckStatus, number>;
  /** Which of the guide's two set-ups fits, and what is missing from it. */
  advice: string[];
}

export interface DoctorCheck {
  corpId: string | null;
  /** Stable id, e.g. `app.token`, `network.api`, `config.APP_SECRET`. */
  id: string;
  credential: string | null;
  status: DoctorCheckStatus;
  /** WeCom's errcode when the check failed on one. */
  errcode: number | null;
  title: string;
  message: string;
  fix: string | null;
}
