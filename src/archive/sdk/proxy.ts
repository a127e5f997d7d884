/**
 * The Finance SDK takes its proxy as two arguments (archive-sdk.md §1.4): `proxy` as
 * `http://host:port` or `socks5://host:port` and `passwd` as `user:password`. The product's
 * WECOM_PROXY is one URL with the credentials inside; this splits it.
 */
export function sdkProxyArguments(proxyUrl: string | undefined): { proxy: string; proxyPassword: string } {
  if (!proxyUrl) return { proxy: '', proxyPassword: '' };
  const url = new URL(proxyUrl);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return { proxy: `${url.protocol}//${url.host}`, proxyPassword: user || password ? `${user}:${password}` : '' };
}
