import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { Store } from '../../../src/infra/sqlite/store';
import { UsageWatchStore } from '../../../src/infra/sqlite/usageWatchStore';
import { BudgetMonitor } from '../../../src/vscode/budgetMonitor';
import { EXTENSION_ID } from '../../../src/vscode/ids';
import type { Logger } from '../../../src/vscode/logger';
import { waitFor } from './waitFor';

// Named to run last: it adds a session of today to the store the other suites count.
const SID = 'int-budget-0000-4000-8000-000000000001';

describe('daily budget: status item and one notification per threshold', () => {
  it('applies the budget settings live and notifies 50 % once, then 100 % once when the budget is lowered', async function () {
    this.timeout(120_000);
    const api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    const cfg = vscode.workspace.getConfiguration('claudeTracer');
    // A session of today: 100k input tokens of Sonnet 4.5 ($3 per million, under its long-context tier) and 10 output
    // tokens: $0.30 today.
    const now = Date.now();
    const dir = path.join(process.env.CLAUDE_CONFIG_DIR!, 'projects', '-w-budget');
    mkdirSync(dir, { recursive: true });
    const line = (o: object) => `${JSON.stringify({ sessionId: SID, cwd: '/w/budget', ...o })}\n`;
    writeFileSync(
      path.join(dir, `${SID}.jsonl`),
      line({
        type: 'user',
        uuid: 'bu1',
        timestamp: new Date(now - 60_000).toISOString(),
        message: { role: 'user', content: 'spend' },
      }) +
        line({
          type: 'assistant',
          uuid: 'ba1',
          timestamp: new Date(now - 50_000).toISOString(),
          requestId: 'req-b1',
          message: {
            id: 'msg-b1',
            model: 'claude-sonnet-4-5-20250929',
            content: [{ type: 'text', text: 'ok' }],
            usage: { input_tokens: 100_000, output_tokens: 10 },
          },
        }),
    );
    await api.scanNow();
    assert.equal(api.budgets.text, '', 'no budget set: no item');
    const daily = () => api.budgets.shown.filter((n) => n.kind === 'daily');
    try {
      await cfg.update('budgets.dailyUsd', 0.5, vscode.ConfigurationTarget.Global);
      await waitFor(
        'budget item',
        () => /^\$\(credit-card\) \$0\.30\/\$0\.50 today$/.test(api.budgets.text),
        30_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}: '${api.budgets.text}' (${api.budgets.unavailable ?? 'store open'})`);
      });
      await waitFor('50 % notification', () => daily().length === 1, 30_000);
      assert.equal(daily()[0]!.threshold, 50);
      assert.match(daily()[0]!.message, /reached 50% of your daily budget: \$0\.30 of \$0\.50/);
      // Later evaluations of the same day (a scan, a focus change, a reload) do not notify again.
      api.budgets.evaluate();
      api.budgets.evaluate();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(daily().length, 1);
      // Lowering the budget applies at once: 120 %, past 80 and 100 → one notification, for 100.
      await cfg.update('budgets.dailyUsd', 0.25, vscode.ConfigurationTarget.Global);
      await waitFor('100 % notification', () => daily().length === 2, 30_000);
      assert.equal(daily()[1]!.threshold, 100);
      assert.match(api.budgets.text, /^\$\(credit-card\) \$0\.30\/\$0\.25 today$/);
      // the Markdown source: appendText escapes spaces and punctuation
      assert.match(
        api.budgets.tooltip.replace(/&nbsp;/g, ' ').replace(/\\/g, ''),
        /Today \(\d{4}-\d\d-\d\d\): \$0\.30 of \$0\.25 \(120%\)/,
      );
      assert.match(api.budgets.tooltip.replace(/&nbsp;/g, ' ').replace(/\\/g, ''), /API-equivalent cost/);
      api.budgets.evaluate();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(daily().length, 2, 'each threshold once per day');
    } finally {
      await cfg.update('budgets.dailyUsd', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('budget item hidden', () => api.budgets.text === '', 30_000);
  });
});

const quiet: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => quiet,
};

describe('budget notifications with several windows and focus', () => {
  const cfg = () => vscode.workspace.getConfiguration('claudeTracer');
  let tmp: string;
  /** A store with $0.30 of Sonnet usage a minute ago (60 % of a $0.50 daily budget). */
  async function storeWithSpend(name: string): Promise<string> {
    const file = path.join(tmp, `${name}.db`);
    const store = await Store.open(file, 'node:sqlite');
    store.db
      .prepare('INSERT INTO api_messages(key, session_id, ts, model, input, output) VALUES (?, ?, ?, ?, ?, ?)')
      .run(['k1', 'sess-top', Date.now() - 60_000, 'claude-sonnet-4-5-20250929', 100_000, 10]);
    store.close();
    return file;
  }
  const monitor = (file: string, focused: () => boolean) =>
    new BudgetMonitor({
      store: new UsageWatchStore(file),
      prices: PriceTable.builtin(),
      log: quiet,
      openMetrics() {},
      openSession() {},
      focused,
    });

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cct-budget-windows-'));
    await cfg().update('budgets.dailyUsd', 0.5, vscode.ConfigurationTarget.Global);
    await cfg().update('budgets.notifyWhenUnfocused', false, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await cfg().update('budgets.dailyUsd', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('budgets.notifyWhenUnfocused', undefined, vscode.ConfigurationTarget.Global);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('an unfocused window told not to notify leaves the threshold to a focused one, and does not repeat it once focused', async () => {
    const file = await storeWithSpend('two-windows');
    let aFocused = false;
    const a = monitor(file, () => aFocused);
    const b = monitor(file, () => true);
    try {
      a.evaluate();
      assert.equal(a.text.includes('$0.30/$0.50 today'), true, 'the unfocused window still shows the budget');
      assert.equal(a.shown.length, 0);
      b.evaluate();
      assert.deepEqual(
        b.shown.map((n) => n.threshold),
        [50],
      );
      aFocused = true;
      a.evaluate();
      await new Promise((r) => setTimeout(r, 200)); // and any evaluation the monitors scheduled themselves
      assert.equal(a.shown.length, 0, 'the focused window had notified it already');
      assert.equal(b.shown.length, 1);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('a single window notifies when it gets the focus back, not before; with notifyWhenUnfocused on it notifies unfocused', async () => {
    let focused = false;
    const alone = monitor(await storeWithSpend('one-window'), () => focused);
    try {
      alone.evaluate();
      assert.equal(alone.shown.length, 0);
      focused = true;
      alone.evaluate();
      assert.deepEqual(
        alone.shown.map((n) => n.threshold),
        [50],
      );
    } finally {
      alone.dispose();
    }
    await cfg().update('budgets.notifyWhenUnfocused', true, vscode.ConfigurationTarget.Global);
    const unfocused = monitor(await storeWithSpend('unfocused-allowed'), () => false);
    try {
      unfocused.evaluate();
      assert.deepEqual(
        unfocused.shown.map((n) => n.threshold),
        [50],
      );
    } finally {
      unfocused.dispose();
    }
  });
});
