import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { quoteArg, resumeCommandLine, shellKindOf } from '../../../src/core/live/resumeCommand';

describe('Copy Resume Command: the command line for the user’s shell', () => {
  it('knows the shell family from VS Code’s default shell path, else the platform', () => {
    assert.equal(shellKindOf('/bin/zsh', 'darwin'), 'posix');
    assert.equal(shellKindOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32'), 'powershell');
    assert.equal(shellKindOf('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'win32'), 'powershell');
    assert.equal(shellKindOf('C:\\Windows\\System32\\cmd.exe', 'win32'), 'cmd');
    assert.equal(shellKindOf('C:\\Program Files\\Git\\bin\\bash.exe', 'win32'), 'posix');
    assert.equal(shellKindOf(undefined, 'win32'), 'powershell');
    assert.equal(shellKindOf('', 'linux'), 'posix');
  });

  it('leaves plain words bare and quotes the rest for each shell', () => {
    assert.equal(quoteArg('/home/me/proj', 'posix'), '/home/me/proj');
    assert.equal(quoteArg("/home/me/it's here", 'posix'), `'/home/me/it'\\''s here'`);
    assert.equal(quoteArg("C:\\Users\\O'Brien\\my proj", 'powershell'), "'C:\\Users\\O''Brien\\my proj'");
    assert.equal(quoteArg('C:\\a & b', 'cmd'), '"C:\\a & b"');
  });

  it('writes cd <cwd> && claude --resume <id> per shell', () => {
    const id = '0f4c6a3e-1b2d-4c5e-8f90-123456789abc';
    assert.equal(resumeCommandLine('/w/my app', id, 'posix'), `cd '/w/my app' && claude --resume ${id}`);
    assert.equal(
      resumeCommandLine('C:\\w\\my app', id, 'powershell'),
      `Set-Location -LiteralPath 'C:\\w\\my app' -ErrorAction Stop; claude --resume ${id}`,
    );
    assert.equal(resumeCommandLine('C:\\w\\my app', id, 'cmd'), `cd /d "C:\\w\\my app" && claude --resume ${id}`);
    assert.equal(
      resumeCommandLine('C:\\w', id, 'powershell', 'C:\\tools\\my claude.cmd'),
      `Set-Location -LiteralPath 'C:\\w' -ErrorAction Stop; & 'C:\\tools\\my claude.cmd' --resume ${id}`,
    );
  });

  it('a real POSIX shell runs the line in the folder, whatever characters its name holds', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-resume-'));
    try {
      const dir = path.join(tmp, `it's a "dir" $HOME \`x\` & ; |`);
      mkdirSync(dir);
      // a stand-in claude: prints where it runs and its arguments
      const line = resumeCommandLine(dir, 'abc-123', 'posix', 'printf');
      const out = execFileSync('/bin/sh', ['-c', line.replace('--resume', '"%s|%s|" "$PWD"')], { encoding: 'utf8' });
      assert.equal(out, `${dir}|abc-123|`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
