import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lexical, normalizePath, relativeToRoot, styleFor } from '../../../src/core/codeContext/pathNormalizer';
import { fsRealPath } from '../../../src/infra/fs/realPath';

const posix = { windows: false, caseInsensitive: false };
const mac = { windows: false, caseInsensitive: true };
const win = { windows: true, caseInsensitive: true };

describe('path normalizer (issue 13)', () => {
  it('resolves . and .. and repeated separators, and relative paths against the cwd', () => {
    assert.equal(lexical('/a//b/./c/../d/', false), '/a/b/d');
    assert.equal(normalizePath('src/../lib/x.ts', { cwd: '/repo', style: posix })?.path, '/repo/lib/x.ts');
    assert.equal(normalizePath('/a/../../b', { style: posix })?.path, '/b');
    // relative without a cwd, or empty: nothing to store
    assert.equal(normalizePath('x.ts', { style: posix }), undefined);
    assert.equal(normalizePath('  ', { cwd: '/r', style: posix }), undefined);
  });

  it('turns Windows separators into /, upper-cases the drive, keeps UNC roots, keys case-insensitively', () => {
    const n = normalizePath('c:\\Users\\Me\\Repo\\src\\..\\App.ts', { style: win });
    assert.deepEqual(n, { path: 'C:/Users/Me/Repo/App.ts', key: 'c:/users/me/repo/app.ts' });
    assert.equal(normalizePath('sub\\File.cs', { cwd: 'D:\\work', style: win })?.path, 'D:/work/sub/File.cs');
    assert.equal(normalizePath('\\\\server\\share\\a\\b.txt', { style: win })?.path, '//server/share/a/b.txt');
    // a Windows path recorded in a transcript read on Linux is still read the Windows way
    assert.deepEqual(styleFor('C:\\x', 'linux'), win);
    assert.deepEqual(styleFor('/x', 'linux'), posix);
    assert.deepEqual(styleFor('/x', 'darwin'), mac);
    // on Linux a backslash is part of a file name
    assert.equal(normalizePath('/a/b\\c', { style: posix })?.path, '/a/b\\c');
  });

  it('compares by key where the file system ignores case, and keeps case where it does not', () => {
    const a = normalizePath('/Users/Me/Repo/README.md', { style: mac })!;
    const b = normalizePath('/users/me/repo/readme.md', { style: mac })!;
    assert.equal(a.key, b.key);
    assert.notEqual(a.path, b.path);
    const root = normalizePath('/users/me/REPO', { style: mac })!;
    assert.equal(relativeToRoot(a, root), 'README.md');
    const p = normalizePath('/Users/Me/Repo/README.md', { style: posix })!;
    assert.equal(relativeToRoot(p, normalizePath('/users/me/repo', { style: posix })!), undefined);
    assert.equal(relativeToRoot(p, normalizePath('/Users/Me/Re', { style: posix })!), undefined); // not a prefix dir
    assert.equal(relativeToRoot(p, normalizePath('/Users/Me/Repo', { style: posix })!), 'README.md');
  });

  it('resolves symlinks where the path exists, and leaves paths that do not exist (or hold a masked span) as written', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cct-paths-')));
    try {
      mkdirSync(join(dir, 'real'));
      writeFileSync(join(dir, 'real', 'f.txt'), 'x');
      symlinkSync(join(dir, 'real'), join(dir, 'link'));
      const via = normalizePath(join(dir, 'link', 'f.txt'), { style: posix, realpath: fsRealPath });
      assert.equal(via?.path, join(dir, 'real', 'f.txt'));
      const gone = normalizePath(join(dir, 'link', 'gone.txt'), { style: posix, realpath: fsRealPath });
      assert.equal(gone?.path, join(dir, 'link', 'gone.txt'));
      const masked = '/home/«user:1a2b»/repo/x.ts';
      assert.equal(normalizePath(masked, { style: posix, realpath: fsRealPath })?.path, masked);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
