/**
 * `owner/repo` of a GitHub (or GitHub Enterprise) remote, from the URL forms git accepts: https://host/o/r(.git),
 * ssh://git@host/o/r, git@host:o/r. `hosts`: the web hosts that count (github.com and the Enterprise host).
 */
export function githubRepoOf(remoteUrl: string, hosts: readonly string[]): string | undefined {
  const u = remoteUrl.trim();
  let host: string | undefined;
  let path: string | undefined;
  const url = /^[a-z+]+:\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?\/(.+)$/i.exec(u);
  const scp = /^(?:[^@/]+@)?([^/:]+):(?!\/)(.+)$/.exec(u);
  if (url) [, host, path] = url;
  else if (scp) [, host, path] = scp;
  if (!host || !path || !hosts.map((h) => h.toLowerCase()).includes(host.toLowerCase())) return undefined;
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(path);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** The web host of a GitHub API base URL: api.github.com → github.com, https://ghe.example/api/v3 → ghe.example. */
export function webHostOfApi(baseUrl: string): string {
  const host = new URL(baseUrl).host;
  return host === 'api.github.com' ? 'github.com' : host;
}
