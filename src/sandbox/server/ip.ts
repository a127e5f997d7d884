/**
 * Trusted-IP matching (企业可信IP, wecom-api.md §8). The admin console takes single addresses; users
 * also ask for ranges, so CIDR is accepted here. IPv6 callers match only exact entries or `::/0`.
 */

/** `::ffff:127.0.0.1` (IPv4-mapped, as Node reports IPv4 callers on dual-stack sockets) → `127.0.0.1`. */
export function normalizeIp(ip: string | undefined): string {
  if (!ip) return 'unknown';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

function matches(ip: string, entry: string): boolean {
  const [base, bitsText] = entry.split('/');
  if (!ip.includes('.') || !base.includes('.')) return bitsText === '0' && base.includes(':') ? ip.includes(':') : ip === base;
  const addr = ipv4ToInt(ip);
  const net = ipv4ToInt(base);
  if (addr === undefined || net === undefined) return false;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!(bits >= 0 && bits <= 32)) return false;
  const block = 2 ** (32 - bits);
  return Math.floor(addr / block) === Math.floor(net / block);
}

/** True when the list is empty (no restriction) or an entry matches. */
export function ipAllowed(ip: string, trusted: readonly string[]): boolean {
  return trusted.length === 0 || trusted.some((entry) => matches(ip, entry));
}
