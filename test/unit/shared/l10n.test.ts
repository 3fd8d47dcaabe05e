import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../helpers/repo';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const read = (p: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, p), 'utf8')) as Record<string, unknown>;

describe('English and Japanese UI strings', () => {
  it('every vscode.l10n.t() message in src/ has a Japanese translation', () => {
    const ja = read('l10n/bundle.l10n.ja.json');
    const used = new Set<string>();
    for (const f of sources(path.join(REPO_ROOT, 'src'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g))
        used.add(m[1]!.replace(/\\'/g, "'"));
    }
    assert.ok(used.size > 20, `found ${used.size} messages`);
    assert.deepEqual(
      [...used].filter((k) => !(k in ja)),
      [],
    );
  });

  it('no l10n.t() translates the result of another (the translation would be looked up as a message)', () => {
    const nested = sources(path.join(REPO_ROOT, 'src')).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /l10n\.t\(\s*(?:vscode\.)?l10n\.t\(/.test(line) ? [`${path.relative(REPO_ROOT, f)}:${i + 1}`] : [],
        ),
    );
    assert.deepEqual(nested, []);
  });

  it('every %key% of package.json exists in package.nls.json and package.nls.ja.json', () => {
    const keys = [...readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8').matchAll(/"%([^%"]+)%"/g)].map(
      (m) => m[1]!,
    );
    const en = read('package.nls.json');
    const ja = read('package.nls.ja.json');
    assert.ok(keys.length > 10);
    assert.deepEqual(
      keys.filter((k) => !(k in en)),
      [],
      'missing in package.nls.json',
    );
    assert.deepEqual(
      keys.filter((k) => !(k in ja)),
      [],
      'missing in package.nls.ja.json',
    );
  });
});
