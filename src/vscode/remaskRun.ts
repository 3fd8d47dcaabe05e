import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { createPrivacyGuard } from '../core/privacy';
import { rulesHash } from '../core/privacy/rulesHash';
import { validateCustomRules } from '../core/privacy/validateCustomRules';
import { dataDir, ensurePrivateDataDir } from '../infra/fs/dataDir';
import { maskKeyFor } from '../infra/keys/maskKeyFile';
import type { RemaskReport } from '../infra/sqlite/remask';
import { Store } from '../infra/sqlite/store';
import type { Logger } from './logger';
import { readSettings } from './settings';

export interface RemaskDeps {
  log: Logger;
  dbPath: string;
}

/**
 * The re-mask as the editor runs it (bundled apart as dist/remask.js: the guard's rules and the store are not part
 * of extension.js): the current settings' guard over the store (remask.ts), behind a cancellable progress
 * notification; a cancel keeps what is done and the next run continues.
 *
 * Runs on the extension host's thread in batches of 500 rows with the event loop free between them; the ingest
 * lease is taken per batch, so a scan in this or another window waits one batch at most.
 */
export async function runRemask(deps: RemaskDeps): Promise<RemaskReport | undefined> {
  if (!existsSync(deps.dbPath)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Claude Tracer: nothing is stored yet.'));
    return undefined;
  }
  const settings = readSettings();
  const rules = validateCustomRules(settings.customRules);
  for (const e of rules.errors) deps.log.warn(`claudeTracer.privacy.customRules: ${e}`);
  const guard = createPrivacyGuard({
    level: settings.privacyLevel,
    customRules: rules.valid,
    hmacKey: maskKeyFor(ensurePrivateDataDir(dataDir())),
  });
  let store: Store | undefined;
  try {
    store = await Store.open(deps.dbPath);
    const opened = store;
    const report = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Claude Tracer: re-masking the archive'),
        cancellable: true,
      },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let shown = 0;
        return opened.remask({
          guard,
          level: settings.privacyLevel,
          rulesHash: rulesHash(settings.privacyLevel, rules.valid),
          leaseOwner: `remask:${process.pid}:${Date.now()}`,
          signal: abort.signal,
          onLeaseWait: () => progress.report({ message: vscode.l10n.t('waiting for the scan in progress to finish…') }),
          onProgress: (p) => {
            const pct = p.bytesTotal > 0 ? (100 * p.bytes) / p.bytesTotal : 100;
            progress.report({
              increment: Math.max(0, pct - shown),
              message: vscode.l10n.t(
                '{0} of {1} rows, {2} of {3} MB, {4} changed',
                p.rows,
                p.rowsTotal,
                (p.bytes / 1_048_576).toFixed(1),
                (p.bytesTotal / 1_048_576).toFixed(1),
                p.changed,
              ),
            });
            shown = Math.max(shown, pct);
          },
        });
      },
    );
    deps.log.info(
      `re-mask ${report.cancelled ? 'stopped' : 'done'}: ${report.rows} rows, ${report.changed} changed, ${report.requeued} queued for sync, ${(report.bytes / 1_048_576).toFixed(1)} MB in ${report.ms} ms${report.scrub ? `, scrub ${report.scrub.ms} ms (WAL truncated: ${report.scrub.walTruncated})` : ''}`,
    );
    void vscode.window.showInformationMessage(
      report.cancelled
        ? vscode.l10n.t(
            'Claude Tracer: re-mask stopped after {0} rows ({1} changed); run it again to continue.',
            report.rows,
            report.changed,
          )
        : vscode.l10n.t(
            'Claude Tracer: re-masked {0} rows ({1} MB): {2} changed, {3} queued for sync again.',
            report.rows,
            (report.bytes / 1_048_576).toFixed(1),
            report.changed,
            report.requeued,
          ),
    );
    if (report.scrub && (!report.scrub.walTruncated || !report.scrub.ftsMerged))
      void vscode.window.showWarningMessage(
        report.scrub.ftsMerged
          ? vscode.l10n.t(
              'Claude Tracer: another connection was reading the store, so its write-ahead log still holds old pages; run Re-mask Archive again later to remove them.',
            )
          : vscode.l10n.t(
              'Claude Tracer: this backend (sql.js) cannot rebuild the full-text index of this store; the old terms stay in it until a node:sqlite window or `cct remask` runs.',
            ),
      );
    return report;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    deps.log.error(`re-mask failed: ${msg}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Claude Tracer: the re-mask failed: {0}', msg));
    return undefined;
  } finally {
    store?.close();
  }
}
