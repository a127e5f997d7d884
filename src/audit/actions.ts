/**
 * Every action the audit log records, declared once: the services write them (AuditInput.action is
 * typed by this list) and the web UI says each in words (web/src/pages/Audit.tsx, a table keyed by
 * it, so a new action cannot go unnamed).
 */
export const AUDIT_ACTIONS = [
  'login', 'logout', 'purpose', 'conversation.view', 'search', 'media.open', 'export',
  'user.add', 'user.disable', 'user.passwd', 'user.role', 'token.create', 'token.revoke', 'events.replay',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
