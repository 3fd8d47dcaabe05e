import { runGit } from './gitCli';

/**
 * `git patch-id --stable` of each given commit that exists in the repository at `cwd`: `git show` of the commits
 * (no colour, no external diff, no decoration, so user config cannot change the text) piped into `git patch-id`.
 * Commits without a change (empty, or merges, which `show` prints without a plain diff) get no id.
 */
export async function patchIds(cwd: string, shas: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const wanted = [...new Set(shas)].filter((s) => /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(s));
  // a vanished object makes `git show` fail as a whole: ask only for the commits that exist
  const present: string[] = [];
  if (wanted.length) {
    const check = await runGit(
      cwd,
      ['cat-file', '--batch-check=%(objectname) %(objecttype)'],
      10_000,
      `${wanted.join('\n')}\n`,
    );
    if (!check.ok) return out;
    for (const line of check.stdout.split('\n')) {
      const [sha, type] = line.trim().split(' ');
      if (sha && type === 'commit') present.push(sha);
    }
  }
  for (let i = 0; i < present.length; i += 200) {
    const batch = present.slice(i, i + 200);
    const shown = await runGit(cwd, [
      'show',
      '--no-color',
      '--no-ext-diff',
      '--no-decorate',
      '--no-renames',
      '--pretty=format:commit %H',
      '-p',
      ...batch,
      '--',
    ]);
    if (!shown.ok) continue;
    const ids = await runGit(cwd, ['patch-id', '--stable'], 10_000, `${shown.stdout}\n`);
    if (!ids.ok) continue;
    for (const line of ids.stdout.split('\n')) {
      const [id, sha] = line.trim().split(' ');
      if (id && sha) out.set(sha, id);
    }
  }
  return out;
}
