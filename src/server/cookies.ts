import type { FastifyRequest } from 'fastify';

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), Path=/, and Secure when the request came over HTTPS (request.protocol follows
 * X-Forwarded-Proto only when TRUST_PROXY trusts the proxy). No Max-Age: the browser forgets it
 * when closed; the server expires it anyway (services/session.ts).
 */

export const SESSION_COOKIE = 'wa_session';

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

export function sessionCookieHeader(request: FastifyRequest, value: string | null): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  const expire = value === null ? '; Max-Age=0' : '';
  return `${SESSION_COOKIE}=${value ?? ''}; Path=/; HttpOnly; SameSite=Strict${secure}${expire}`;
}
