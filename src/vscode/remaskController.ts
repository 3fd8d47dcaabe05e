import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { type MaskingSettings, shouldOfferRemask } from '../core/privacy/remaskOffer';
import type { RemaskReport } from '../infra/sqlite/remask';
import { Disposable } from '../shared/disposable';
import { COMMANDS } from './ids';
import type { Logger } from './logger';
import type { runRemask } from './remaskRun';
import { onDidChangeSettings, privacyKey, readSettings, type Settings } from './settings';

export interface RemaskControllerDeps {
  log: Logger;
  dbPath: string;
}

/** Settings changes arrive in bursts while a settings.json is edited: the offer waits for them to settle. */
const OFFER_SETTLE_MS = 2_000;

/**
 * Owns "Claude Tracer: Re-mask Archive" (the work itself is dist/remask.js, remaskRun.ts, loaded on first use) and
 * the offer: when the privacy level goes up or a custom rule is added, asks once per resulting configuration
 * whether to mask what is already stored again.
 */
export class RemaskController extends Disposable {
  private running: Promise<RemaskReport | undefined> | undefined;
  private masking: MaskingSettings;
  private readonly offered = new Set<string>();
  private offerTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RemaskControllerDeps) {
    super();
    this.masking = maskingOf(readSettings());
    this._register(vscode.commands.registerCommand(COMMANDS.remaskArchive, () => this.run()));
    this._register(onDidChangeSettings((s) => this.onSettingsChanged(s)));
    this._register({ dispose: () => clearTimeout(this.offerTimer) });
  }

  /** Runs the re-mask (or joins the one running); resolves with its report, undefined if it did not run. */
  run(): Promise<RemaskReport | undefined> {
    this.running ??= loadRemaskModule()
      .then((m) => m.runRemask(this.deps))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private onSettingsChanged(s: Settings): void {
    const next = maskingOf(s);
    const raised = shouldOfferRemask(this.masking, next);
    this.masking = next;
    if (!raised) return;
    clearTimeout(this.offerTimer);
    this.offerTimer = setTimeout(() => void this.offer(privacyKey(s)), OFFER_SETTLE_MS);
  }

  private async offer(key: string): Promise<void> {
    if (this.offered.has(key) || this.running || !existsSync(this.deps.dbPath)) return;
    this.offered.add(key);
    const now = vscode.l10n.t('Re-mask Now');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Claude Tracer: the privacy settings now mask more. Mask the sessions already stored again under the new settings?',
      ),
      now,
      vscode.l10n.t('Not Now'),
    );
    if (answer === now) await this.run();
  }
}

function maskingOf(s: Settings): MaskingSettings {
  return { level: s.privacyLevel, customRules: s.customRules };
}

/** Loads dist/remask.js next to this bundle (a runtime path, so esbuild leaves it out of extension.js). */
async function loadRemaskModule(): Promise<{ runRemask: typeof runRemask }> {
  const file = `${__dirname}/remask.js`;
  return require(file) as { runRemask: typeof runRemask };
}
