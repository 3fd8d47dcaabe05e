/**
 * Where the opt-in pull request lookup goes: github.com, or a GitHub Enterprise Server named by its web URL
 * (`claudeTracer.github.enterpriseUrl`, e.g. https://ghe.example.com). VS Code signs in to Enterprise through its
 * own `github-enterprise` authentication provider (which reads `github-enterprise.uri`).
 */
export interface GithubTarget {
  /** VS Code authentication provider id. */
  providerId: 'github' | 'github-enterprise';
  /** REST API base: https://api.github.com, or <enterprise>/api/v3. */
  apiBaseUrl: string;
  /** Web hosts whose remotes are repositories of this server (githubRemote.ts). */
  webHosts: string[];
}

/** The target for a setting value; an empty value is github.com; a value that is not an https URL is an error. */
export function githubTarget(enterpriseUrl: string): GithubTarget | { error: string } {
  const raw = enterpriseUrl.trim();
  if (!raw) return { providerId: 'github', apiBaseUrl: 'https://api.github.com', webHosts: ['github.com'] };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `not a URL: ${raw}` };
  }
  if (url.protocol !== 'https:' || url.username || url.password)
    return { error: 'the GitHub Enterprise URL must be https, without credentials' };
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return { providerId: 'github-enterprise', apiBaseUrl: `${base}/api/v3`, webHosts: [url.hostname] };
}
