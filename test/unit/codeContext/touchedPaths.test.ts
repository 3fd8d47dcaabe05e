import assert from 'node:assert/strict';
import { stripRemoteCredentials } from '../../../src/core/codeContext/remoteUrl';
import { bashPaths, touchedPaths } from '../../../src/core/codeContext/touchedPaths';

describe('files touched by tool calls (issue 13)', () => {
  it('reads file_path of Edit, Write, MultiEdit and notebook_path of NotebookEdit, nothing from other tools', () => {
    assert.deepEqual(touchedPaths('Edit', { file_path: '/r/a.ts', old_string: 'x', new_string: 'y' }), [
      { path: '/r/a.ts', tool: 'Edit' },
    ]);
    assert.deepEqual(touchedPaths('Write', { file_path: '/r/b.ts', content: '' }), [
      { path: '/r/b.ts', tool: 'Write' },
    ]);
    assert.deepEqual(touchedPaths('MultiEdit', { file_path: '/r/c.ts', edits: [] }), [
      { path: '/r/c.ts', tool: 'MultiEdit' },
    ]);
    assert.deepEqual(touchedPaths('NotebookEdit', { notebook_path: '/r/n.ipynb', new_source: '' }), [
      { path: '/r/n.ipynb', tool: 'NotebookEdit' },
    ]);
    assert.deepEqual(touchedPaths('Read', { file_path: '/r/a.ts' }), []);
    assert.deepEqual(touchedPaths('Edit', { file_path: 42 }), []);
    assert.deepEqual(touchedPaths('Edit', null), []);
  });

  it('reads plain Bash commands: touch, rm, mv, cp (destination), tee, git rm/mv, > and >> redirections', () => {
    assert.deepEqual(bashPaths('touch a.txt b/c.txt'), ['a.txt', 'b/c.txt']);
    assert.deepEqual(bashPaths('rm -f old.log'), ['old.log']);
    assert.deepEqual(bashPaths('mv src/a.ts src/b.ts'), ['src/a.ts', 'src/b.ts']);
    assert.deepEqual(bashPaths('cp template.md docs/new.md'), ['docs/new.md']);
    assert.deepEqual(bashPaths('echo hello > out.txt && cat x >>log/all.txt'), ['out.txt', 'log/all.txt']);
    assert.deepEqual(bashPaths('git rm gone.ts; git mv a.ts b.ts'), ['gone.ts', 'a.ts', 'b.ts']);
    assert.deepEqual(bashPaths('npm test | tee /tmp/run.log'), ['/tmp/run.log']);
    assert.deepEqual(touchedPaths('Bash', { command: 'touch x.md', description: 'd' }), [
      { path: 'x.md', tool: 'Bash' },
    ]);
  });

  it('reads nothing from a Bash command it cannot read without a shell', () => {
    for (const cmd of [
      'echo "a b" > out.txt', // quotes
      "rm 'my file.txt'",
      'touch $HOME/x', // variables
      'rm *.log', // globs
      'touch `date`.txt',
      'cat <<EOF > f.txt\nx\nEOF', // heredoc
      'rm a\\ b', // escapes
      'ls 2> err.txt', // fd redirection
      'cmd &> all.txt',
      'echo x > /dev/null', // not a file
      'mv a b c', // three operands: a directory move
      'cp -r a', // one operand
      'touch ~/x',
      'rm /home/«user:ab12»/x', // a masked span
      'python script.py', // unknown command
    ])
      assert.deepEqual(bashPaths(cmd), [], cmd);
  });
});

describe('remote URL credentials (issue 13)', () => {
  it('strips user:token@, user@ and query strings from URL remotes, keeps scp-like remotes', () => {
    assert.equal(stripRemoteCredentials('https://alice:ghp_abc123@github.com/o/r.git'), 'https://github.com/o/r.git');
    assert.equal(stripRemoteCredentials('https://x-access-token:tok@github.com/o/r'), 'https://github.com/o/r');
    assert.equal(stripRemoteCredentials('ssh://git@host:22/o/r.git'), 'ssh://host:22/o/r.git');
    assert.equal(stripRemoteCredentials('https://host/o/r.git?token=abc#x'), 'https://host/o/r.git');
    assert.equal(stripRemoteCredentials('git@github.com:o/r.git'), 'git@github.com:o/r.git');
    assert.equal(stripRemoteCredentials('/srv/git/r.git'), '/srv/git/r.git');
  });
});
