import * as vscode from 'vscode';
import { Disposable } from '../shared/disposable';
import { Emitter } from '../shared/event';

/**
 * Watches Claude Code's config dirs (outside the workspace) through VS Code's own file watcher: everything under
 * `projects/` (transcripts, new project directories) and the live registry (`sessions/*.json`). Events only trigger
 * re-reads; a slow poll elsewhere covers file systems where watching misses events.
 */
export class ClaudeDirWatcher extends Disposable {
  private readonly _onTranscriptChange = this._register(new Emitter<string>());
  readonly onTranscriptChange = this._onTranscriptChange.event;
  private readonly _onRegistryChange = this._register(new Emitter<void>());
  readonly onRegistryChange = this._onRegistryChange.event;

  constructor(roots: readonly string[]) {
    super();
    for (const root of roots) {
      const base = vscode.Uri.file(root);
      // Everything under projects/, directories included: on Linux a recursive watch reaches into a NEW project
      // directory only after its creation event, so a transcript written right away can go unseen; the
      // directory's own event then triggers the scan (and the app rescans once more shortly after).
      const transcripts = this._register(
        vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, 'projects/**')),
      );
      const fire = (u: vscode.Uri) => this._onTranscriptChange.fire(u.fsPath);
      this._register(transcripts.onDidCreate(fire));
      this._register(transcripts.onDidChange((u) => u.fsPath.endsWith('.jsonl') && fire(u)));
      const registry = this._register(
        vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, 'sessions/*.json')),
      );
      const reg = () => this._onRegistryChange.fire();
      this._register(registry.onDidCreate(reg));
      this._register(registry.onDidChange(reg));
      this._register(registry.onDidDelete(reg));
    }
  }
}
