/**
 * Child process of budgetLedger.test.ts: one evaluator (a VS Code window) claiming budget notifications in a shared
 * store, the way BudgetMonitor does: waits for the common start instant, then claims, retrying while the store is
 * busy (another claimant's write). Prints the keys it won as JSON.
 * argv: db startAtMs keysJson
 */
import { UsageWatchStore } from '../../../src/infra/sqlite/usageWatchStore';

const [db, startAt, keysJson] = process.argv.slice(2) as [string, string, string];
const keys = JSON.parse(keysJson) as string[];
const store = new UsageWatchStore(db);
// Open before the start line, so every child races on the claim itself, not on opening.
store.prune(['daily:2026-12-06', 'monthly:2026-12']);
while (Date.now() < Number(startAt)) {
  /* spin to the common start */
}
let won: string[] | undefined;
for (let i = 0; i < 10_000 && won === undefined; i++) won = store.claim(keys, Date.now());
store.dispose();
process.stdout.write(`${JSON.stringify({ won: won ?? null })}\n`);
