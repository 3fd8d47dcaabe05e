import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

/** The include patterns of .vscodeignore (it ignores everything, then re-includes with `!`), as regexes. */
function included(): RegExp[] {
  return readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => {
      const glob = l.slice(1);
      const re = glob
        .split('**')
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
        .join('.*');
      return new RegExp(`^${re}$`);
    });
}

// Every bundle esbuild.mjs writes is loaded at run time by the extension or the CLI (lazily, by path): a bundle the
// .vsix leaves out works from source and in tests on dist/, and fails only for users of the package.
describe('.vscodeignore', () => {
  it('packs every bundle esbuild.mjs builds', () => {
    const builds = readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8');
    const outputs = [...builds.matchAll(/outfile: '([^']+)'/g)].map((m) => m[1]!);
    assert.ok(outputs.length >= 10, `found ${outputs.length} outfiles`);
    const patterns = included();
    const missing = outputs.filter((f) => !patterns.some((re) => re.test(f)));
    assert.deepEqual(missing, []);
  });

  it('packs every script under resources/ that the extension hands to Claude Code (status line bridge, hooks)', () => {
    const src = (dir: string): string =>
      readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => readFileSync(path.join(ROOT, dir, f), 'utf8'))
        .join('\n');
    const named = [...src('src').matchAll(/'resources', '([^']+\.sh)'/g)].map((m) => `resources/${m[1]}`);
    assert.ok(named.includes('resources/claude-tracer-hook.sh') && named.includes('resources/statusline-bridge.sh'));
    const patterns = included();
    assert.deepEqual(
      named.filter((f) => !patterns.some((re) => re.test(f))),
      [],
    );
  });

  it("packs the webview's code-split chunks (chart.js and Markdown load from them on demand)", () => {
    const builds = readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8');
    const chunkNames = /chunkNames: '([^']+)'/.exec(builds)?.[1];
    assert.ok(chunkNames, 'the webview build names its chunks');
    const outdir = /entryPoints: \{ main: 'webview\/src\/main\.ts' \},\s*outdir: '([^']+)'/.exec(builds)?.[1];
    assert.ok(outdir, 'the webview build has an outdir');
    const chunk = `${outdir}/${chunkNames.replace('[name]', 'chart').replace('[hash]', 'ABC123')}.js`;
    assert.ok(
      included().some((re) => re.test(chunk)),
      `${chunk} is not packed`,
    );
  });
});
