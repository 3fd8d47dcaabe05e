// Status Line Bridge overhead: the user's status line run directly vs through the bridge, 200 runs each (issue 10: p95 added ≤ 50 ms).
// npx tsx bench/statusline/bridgeOverhead.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bridgeCommand } from '../../src/core/live/statusLineBridge';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cct-bb-'));
const payload = JSON.stringify({
  session_id: 'x',
  cost: { total_cost_usd: 1 },
  rate_limits: { five_hour: { used_percentage: 3, resets_at: 1 } },
  pad: 'p'.repeat(1500),
});
const prev = "printf 'main'";
const bridged = bridgeCommand(path.join(__dirname, '../../resources/statusline-bridge.sh'), dir, prev);
const time = (cmd: string) => {
  const t = performance.now();
  spawnSync('sh', ['-c', cmd], { input: payload });
  return performance.now() - t;
};
const a: number[] = [],
  b: number[] = [];
for (let i = 0; i < 200; i++) {
  a.push(time(prev));
  b.push(time(bridged));
}
const q = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.floor(p * xs.length)]!;
console.log(
  `direct median ${q(a, 0.5).toFixed(1)} p95 ${q(a, 0.95).toFixed(1)}; bridged median ${q(b, 0.5).toFixed(1)} p95 ${q(b, 0.95).toFixed(1)}; added median ${(q(b, 0.5) - q(a, 0.5)).toFixed(1)} p95 ${(q(b, 0.95) - q(a, 0.95)).toFixed(1)} ms`,
);
