import * as vscode from 'vscode';
import { dataDir, ensurePrivateDataDir } from '../infra/fs/dataDir';
import { maskKeyFor } from '../infra/keys/maskKeyFile';
import type { ForgetResult } from '../infra/sqlite/forgetSessions';
import { openExistingStore, type Store } from '../infra/sqlite/store';
import type { CctSupabaseClient } from '../infra/supabase/client';
import { deleteRemoteSessions } from '../infra/supabase/remoteForget';
import { runDriftSampleInWorker } from '../infra/worker/runDriftSampleInWorker';
import { Disposable } from '../shared/disposable';
import { Emitter } from '../shared/event';
import { PRIVACY_COMMANDS } from './ids';
import type { Logger } from './logger';
import { readSettings } from './settings';

export interface ForgetCommandsDeps {
  dbPath: string;
  /** The extension's version (written into a drift sample). */
  version: string;
  log: Logger;
  /** The signed-in Supabase client, or undefined (not connected, or signed out). */
  signedInClient(): Promise<CctSupabaseClient | undefined>;
  /** Asks the ingest for a scan (after Unforget, so the session comes back). */
  requestScan(): void;
}

/** How long Forget waits for a running scan to release the ingest lease before giving up. */
const LEASE_WAIT_MS = 15_000;

/**
 * "Forget Session…", "Forget Project…", "Unforget Session…" and "Save Drift Sample": each opens the store for the
 * time it runs (loaded with the sync bundle, which already carries the store and supabase-js) and holds the ingest
 * lease while it writes, so a scan in this or another window cannot write the rows back half-way.
 */
export class ForgetCommands extends Disposable {
  private readonly _onDidForget = this._register(new Emitter<ForgetResult>());
  /** Fires after sessions were forgotten locally (the dashboard refreshes). */
  readonly onDidForget = this._onDidForget.event;

  constructor(private readonly deps: ForgetCommandsDeps) {
    super();
    const register = (id: string, fn: () => Promise<void>) =>
      this._register(
        vscode.commands.registerCommand(id, () =>
          fn().catch((e: unknown) => {
            const msg = e instanceof Error ? e.message : String(e);
            deps.log.error(`${id}: ${msg}`);
            void vscode.window.showErrorMessage(vscode.l10n.t('Claude Tracer: {0}', msg));
          }),
        ),
      );
    register(PRIVACY_COMMANDS.forgetSession, () => this.forgetSession());
    register(PRIVACY_COMMANDS.forgetProject, () => this.forgetProject());
    register(PRIVACY_COMMANDS.unforget, () => this.unforget());
    register(PRIVACY_COMMANDS.saveDriftSample, () => this.saveDriftSample());
  }

  private async forgetSession(): Promise<void> {
    const sessions = await this.withStore((s) => s.sessions());
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Claude Tracer: the store holds no sessions.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      sessions.map((s) => ({
        label: s.title || s.sessionId,
        description: s.projectPath ?? '',
        detail: `${s.lastTs ? new Date(s.lastTs).toLocaleString() : '?'} · ${s.sessionId}`,
        id: s.sessionId,
      })),
      {
        title: vscode.l10n.t('Forget sessions'),
        placeHolder: vscode.l10n.t('The sessions to delete from the store and keep out of later scans'),
        canPickMany: true,
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    if (!picked?.length) return;
    await this.confirmAndForget(
      picked.map((p) => p.id),
      vscode.l10n.t('Forget {0} session(s)?', picked.length),
    );
  }

  private async forgetProject(): Promise<void> {
    const sessions = await this.withStore((s) => s.sessions());
    const byProject = new Map<string, string[]>();
    for (const s of sessions) {
      const p = s.projectPath ?? '';
      byProject.set(p, [...(byProject.get(p) ?? []), s.sessionId]);
    }
    if (byProject.size === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Claude Tracer: the store holds no sessions.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      [...byProject].map(([p, ids]) => ({
        label: p || vscode.l10n.t('(no project path)'),
        description: vscode.l10n.t('{0} session(s)', ids.length),
        ids,
      })),
      {
        title: vscode.l10n.t('Forget a project'),
        placeHolder: vscode.l10n.t('Every session of this project is forgotten'),
      },
    );
    if (!picked) return;
    await this.confirmAndForget(
      picked.ids,
      vscode.l10n.t('Forget the {0} session(s) of {1}?', picked.ids.length, picked.label),
    );
  }

  private async confirmAndForget(ids: string[], question: string): Promise<void> {
    const client = await this.deps.signedInClient().catch(() => undefined);
    const local = vscode.l10n.t('Forget');
    const both = vscode.l10n.t('Forget Here and on Supabase');
    const answer = await vscode.window.showWarningMessage(
      question,
      {
        modal: true,
        detail: vscode.l10n.t(
          'Their prompts, responses, tool calls and usage are deleted from the local store, and later scans skip their transcripts while these exist (Unforget Session… undoes that). This cannot be undone.',
        ),
      },
      ...(client ? [local, both] : [local]),
    );
    if (answer !== local && answer !== both) return;
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Claude Tracer: forgetting…') },
      () => this.withLease((s) => s.forget(ids)),
    );
    if (!r) return;
    this.deps.log.info(
      `forgot ${r.sessions.length} session(s): ${r.interactions} interactions deleted, ${r.files.length} files tombstoned${r.checkpointBusy ? ' (WAL busy: its old pages go at the next checkpoint)' : ''}`,
    );
    this._onDidForget.fire(r);
    let remote = '';
    if (answer === both && client) {
      const res = await deleteRemoteSessions(client, r.sessions);
      if (!res.ok) {
        this.deps.log.error(`deleting forgotten sessions from Supabase failed: ${res.message}`);
        void vscode.window.showErrorMessage(
          vscode.l10n.t(
            'Claude Tracer: forgotten here, but deleting from Supabase failed: {0}. Forget them again to retry.',
            res.message ?? '',
          ),
        );
        return;
      }
      remote = vscode.l10n.t(' and on Supabase');
    }
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Claude Tracer: forgot {0} session(s){1}.', r.sessions.length, remote),
    );
  }

  private async unforget(): Promise<void> {
    const stones = await this.withStore((s) => s.tombstones());
    if (stones.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Claude Tracer: no session is forgotten.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      stones.map((t) => ({
        label: t.sessionId,
        description: new Date(t.forgottenAt).toLocaleString(),
        detail: vscode.l10n.t('{0} transcript file(s)', t.files.length),
      })),
      {
        title: vscode.l10n.t('Unforget sessions'),
        placeHolder: vscode.l10n.t('The next scan ingests them again from their transcripts, if these still exist'),
        canPickMany: true,
      },
    );
    if (!picked?.length) return;
    const done = await this.withLease((s) => picked.filter((p) => s.unforget(p.label) !== undefined).length);
    if (done === undefined) return;
    this.deps.requestScan();
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Claude Tracer: unforgot {0} session(s); rescanning.', done),
    );
  }

  private async saveDriftSample(): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save Drift Sample'),
      defaultUri: vscode.Uri.file(`cct-drift-sample-${new Date().toISOString().slice(0, 10)}.json`),
      filters: { JSON: ['json'] },
    });
    if (!target) return;
    const sample = await runDriftSampleInWorker({
      dbPath: this.deps.dbPath,
      out: target.fsPath,
      hmacKey: maskKeyFor(ensurePrivateDataDir(dataDir())),
      // validated in the worker (its bundle has the rule compiler; this one stays without re2js)
      customRules: readSettings().customRules,
      version: this.deps.version,
    });
    this.deps.log.info(`drift sample: ${sample.lines} masked lines written`);
    const open = vscode.l10n.t('Open');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Claude Tracer: wrote {0} masked line(s) (strict level). Check it before attaching it to a bug report.',
        sample.lines,
      ),
      open,
    );
    if (answer === open) await vscode.window.showTextDocument(target);
  }

  private async withStore<T>(fn: (s: Store) => T): Promise<T> {
    const s = await openExistingStore(this.deps.dbPath);
    try {
      return fn(s);
    } finally {
      s.close();
    }
  }

  /** Runs fn holding the ingest lease (waiting a little for a running scan); undefined if it stayed busy. */
  private async withLease<T>(fn: (s: Store) => T): Promise<T | undefined> {
    const owner = `forget:${process.pid}:${Date.now()}`;
    const s = await openExistingStore(this.deps.dbPath);
    try {
      const until = Date.now() + LEASE_WAIT_MS;
      while (!s.acquireLease(owner, 60_000)) {
        if (Date.now() > until) {
          void vscode.window.showWarningMessage(
            vscode.l10n.t(
              'Claude Tracer: a scan ({0}) is still running; try again when it is done.',
              s.leaseHolder() ?? '?',
            ),
          );
          return undefined;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      try {
        return fn(s);
      } finally {
        s.releaseLease(owner);
      }
    } finally {
      s.close();
    }
  }
}
