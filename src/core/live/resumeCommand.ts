/** The shells a resume command line is written for (what VS Code's default terminal runs). */
export type ShellKind = 'posix' | 'powershell' | 'cmd';

/** The shell family of a shell path (`vscode.env.shell`), else the platform's default terminal shell. */
export function shellKindOf(shellPath: string | undefined, platform: string): ShellKind {
  const name = (shellPath ?? '').replace(/\\/g, '/').split('/').pop()?.toLowerCase() ?? '';
  if (/^(pwsh|powershell)(\.exe)?$/.test(name)) return 'powershell';
  if (/^cmd(\.exe)?$/.test(name)) return 'cmd';
  if (name) return 'posix'; // bash, zsh, fish, sh, Git Bash, WSL
  return platform === 'win32' ? 'powershell' : 'posix';
}

/** One argument quoted so the shell passes it through literally (plain words stay bare). */
export function quoteArg(arg: string, shell: ShellKind): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  switch (shell) {
    case 'powershell':
      // single quotes are literal in PowerShell; a quote inside is doubled (also the typographic ones it accepts)
      return `'${arg.replace(/['‘’‚‛]/g, '$&$&')}'`;
    case 'cmd':
      // cmd has no literal quoting: double quotes keep spaces and & | < > together; " itself cannot occur in a path
      return `"${arg.replace(/"/g, '')}"`;
    default:
      return `'${arg.replace(/'/g, `'\\''`)}'`;
  }
}

/**
 * `cd <cwd> && claude --resume <id>` for the user's shell: Claude Code finds a session's transcript by the folder
 * it ran in, so the resume must start there. PowerShell 5 has no `&&`: `;` after Set-Location, which stops on a
 * missing folder only with -ErrorAction Stop.
 */
export function resumeCommandLine(cwd: string, sessionId: string, shell: ShellKind, claude = 'claude'): string {
  const program = quoteArg(claude, shell);
  // PowerShell runs a quoted program path only through the call operator
  const call = shell === 'powershell' && program.startsWith("'") ? `& ${program}` : program;
  const resume = `${call} --resume ${quoteArg(sessionId, shell)}`;
  switch (shell) {
    case 'powershell':
      return `Set-Location -LiteralPath ${quoteArg(cwd, shell)} -ErrorAction Stop; ${resume}`;
    case 'cmd':
      return `cd /d ${quoteArg(cwd, shell)} && ${resume}`;
    default:
      return `cd ${quoteArg(cwd, shell)} && ${resume}`;
  }
}
