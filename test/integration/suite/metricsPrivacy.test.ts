import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TracerApi } from '../../../src/app';
import { metricsGet, privacyReport } from '../../../src/shared/protocol';
import { COMMANDS, EXTENSION_ID } from '../../../src/vscode/ids';
import { waitFor } from './waitFor';

describe('Metrics and Privacy host methods inside the extension host (real store from the real-CLI fixtures)', () => {
  let api: TracerApi;
  let id = 5000;
  const expected = JSON.parse(process.env.CCT_EXPECTED_TOTALS ?? 'null') as { sessions: number; apiMessages: number };
  const planted = JSON.parse(process.env.CCT_PLANTED_SECRETS ?? '[]') as string[];

  async function call(method: string, params: unknown) {
    // The data handlers live in dist/dashboardData.js, loaded after activation: wait until they answer.
    let res: Awaited<ReturnType<TracerApi['dashboard']['dispatch']>> | undefined;
    await waitFor(`${method} registered`, async () => {
      res = await api.dashboard.dispatch({ type: 'request', id: id++, method, params });
      return !(!res.ok && res.error.code === 'unknownMethod');
    });
    return res!;
  }

  before(async () => {
    assert.ok(expected, 'the harness passes the CLI totals of the same tree');
    api = await vscode.extensions.getExtension<TracerApi>(EXTENSION_ID)!.activate();
    await waitFor('first scan', () => api.lastScan() !== undefined || api.status().ingest.state === 'idle', 60_000);
    await api.scanNow();
  });

  it('metrics/get: all-time totals of the store, priced, in a named zone; a bad zone is refused', async () => {
    const res = await call('metrics/get', { range: 'all', timeZone: 'Asia/Tokyo' });
    assert.ok(res.ok, JSON.stringify(res));
    const m = metricsGet.result.parse(res.result);
    // Earlier suites in this host append to the fixture tree, so the store's own totals are the reference.
    const stored = api.status().totals!.apiMessages;
    assert.ok(stored >= expected.apiMessages);
    assert.equal(m.totals.apiMessages, stored);
    assert.ok(m.totals.costUsd !== null && m.totals.costUsd > 0);
    assert.ok(m.daily.length > 0 && m.tools.length > 0);
    assert.equal(
      m.heatmap.reduce((n, c) => n + c.apiMessages, 0),
      stored,
    );
    const bad = await call('metrics/get', { range: 'all', timeZone: 'Mars/Olympus' });
    assert.ok(!bad.ok && bad.error.code === 'invalidParams', JSON.stringify(bad));
  });

  it('metrics/get follows claudeTracer.analytics.timeZone and .weekStartsOn as soon as they change', async () => {
    const config = () => vscode.workspace.getConfiguration('claudeTracer');
    try {
      await config().update('analytics.timeZone', 'Asia/Kolkata', vscode.ConfigurationTarget.Global);
      await config().update('analytics.weekStartsOn', 'sunday', vscode.ConfigurationTarget.Global);
      const res = await call('metrics/get', { range: 'all', timeZone: 'UTC' });
      assert.ok(res.ok, JSON.stringify(res));
      const m = metricsGet.result.parse(res.result);
      // the setting wins over the webview's zone; the week starts on Sunday
      assert.equal(m.timeZone, 'Asia/Kolkata');
      assert.equal(m.weekStartsOn, 0);
      assert.ok(m.series.weekly.every((w) => new Date(`${w.week}T00:00:00Z`).getUTCDay() === 0));
      await config().update('analytics.timeZone', undefined, vscode.ConfigurationTarget.Global);
      const again = await call('metrics/get', { range: 'all', timeZone: 'UTC' });
      assert.ok(again.ok, JSON.stringify(again));
      const back = metricsGet.result.parse(again.result);
      assert.equal(back.timeZone, 'UTC', 'empty setting: the webview’s (system) zone');
    } finally {
      await config().update('analytics.timeZone', undefined, vscode.ConfigurationTarget.Global);
      await config().update('analytics.weekStartsOn', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('privacy/report: findings by rule from the store, the level from the settings, no planted secret', async () => {
    const res = await call('privacy/report', { range: 'all', timeZone: 'UTC' });
    assert.ok(res.ok, JSON.stringify(res));
    const r = privacyReport.result.parse(res.result);
    assert.equal(r.level, vscode.workspace.getConfiguration('claudeTracer').get('privacy.level'));
    assert.ok(r.totals.findings > 0);
    assert.ok(r.byRule.some((x) => x.ruleId === 'github-classic-token'));
    const text = JSON.stringify(r);
    assert.deepEqual(
      planted.filter((v) => text.includes(v)),
      [],
    );
  });

  it('"Show Privacy Report" is registered and opens the dashboard', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMANDS.showPrivacyReport));
    await vscode.commands.executeCommand(COMMANDS.showPrivacyReport);
    await waitFor('dashboard ready', () => api.dashboard.isReady, 30_000);
  });
});
