import * as vscode from 'vscode';
import type { TerminalInfo } from '../core/live/terminalBinding';
import { Disposable, toDisposable } from '../shared/disposable';
import { Emitter } from '../shared/event';

/** A command line that starts Claude Code (`claude`, `claude -c`, `/path/to/claude`, `npx claude`…). */
export function startsClaude(commandLine: string): boolean {
  return /^\s*(?:\S*\/)?(?:npx\s+(?:-y\s+)?)?(?:@anthropic-ai\/claude-code|claude)(?:\.exe)?(?:\s|$)/.test(commandLine);
}

/**
 * The window's terminals as the binder sees them (stable ids, shell pid, folder), and the moments worth a new look:
 * a terminal opened or closed, a `claude` command started or ended (shell integration), the active terminal changed.
 * Nothing here polls.
 */
export class TerminalTracker extends Disposable {
  private readonly ids = new WeakMap<vscode.Terminal, string>();
  private next = 1;
  private readonly _onDidRequestCheck = this._register(new Emitter<string>());
  /** Fires with the reason; the controller re-binds (a `claude` start also later, once its registry entry exists). */
  readonly onDidRequestCheck = this._onDidRequestCheck.event;
  private readonly _onDidChangeActive = this._register(new Emitter<void>());
  readonly onDidChangeActive = this._onDidChangeActive.event;

  constructor() {
    super();
    const w = vscode.window;
    this._register(w.onDidOpenTerminal(() => this._onDidRequestCheck.fire('terminal opened')));
    this._register(w.onDidCloseTerminal(() => this._onDidRequestCheck.fire('terminal closed')));
    this._register(w.onDidChangeActiveTerminal(() => this._onDidChangeActive.fire()));
    this._register(
      w.onDidStartTerminalShellExecution((e) => {
        if (!startsClaude(e.execution.commandLine.value)) return;
        // Claude Code writes its registry entry a moment after it starts: look now and twice more.
        this._onDidRequestCheck.fire('claude started');
        for (const ms of [700, 2500]) {
          const t = setTimeout(() => this._onDidRequestCheck.fire('claude started (follow-up)'), ms);
          this._register(toDisposable(() => clearTimeout(t)));
        }
      }),
    );
    this._register(
      w.onDidEndTerminalShellExecution((e) => {
        if (startsClaude(e.execution.commandLine.value)) this._onDidRequestCheck.fire('claude ended');
      }),
    );
  }

  idOf(t: vscode.Terminal): string {
    let id = this.ids.get(t);
    if (!id) {
      id = `t${this.next++}`;
      this.ids.set(t, id);
    }
    return id;
  }

  byId(id: string): vscode.Terminal | undefined {
    return vscode.window.terminals.find((t) => this.ids.get(t) === id);
  }

  get activeId(): string | undefined {
    const t = vscode.window.activeTerminal;
    return t ? this.idOf(t) : undefined;
  }

  /** Every terminal of the window with its shell pid (undefined until its pty runs) and folder. */
  async infos(): Promise<TerminalInfo[]> {
    return Promise.all(
      vscode.window.terminals.map(async (t) => {
        const pid = await Promise.race([
          t.processId,
          new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000)),
        ]);
        return { id: this.idOf(t), pid: pid ?? undefined, cwd: cwdOf(t) };
      }),
    );
  }
}

function cwdOf(t: vscode.Terminal): string | undefined {
  const live = t.shellIntegration?.cwd;
  if (live) return live.fsPath;
  const o = t.creationOptions as vscode.TerminalOptions;
  if (!o || !('cwd' in o) || !o.cwd) return undefined;
  return typeof o.cwd === 'string' ? o.cwd : o.cwd.fsPath;
}
