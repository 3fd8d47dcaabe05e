/**
 * A git remote URL without credentials: `https://user:token@host/x` → `https://host/x`, and a query or fragment
 * (where some tools put tokens) dropped. scp-like `git@host:owner/repo` keeps its user (a login name, not a secret).
 * The result is then masked like any text by the caller.
 */
export function stripRemoteCredentials(url: string): string {
  const u = url.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/.exec(u);
  if (!scheme) return u;
  const [, proto, authority, rest] = scheme as unknown as [string, string, string, string];
  const at = authority.lastIndexOf('@');
  const host = at >= 0 ? authority.slice(at + 1) : authority;
  const pathOnly = rest.replace(/[?#].*$/, '');
  return `${proto}${host}${pathOnly}`;
}
