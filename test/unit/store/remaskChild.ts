/**
 * Child process of remask.test.ts: re-masks a store and kills itself (SIGKILL, no cleanup) right after batch
 * `killAfter` has committed, so the parent can check that the next run resumes to the same end result.
 * argv: db backend rulesFile killAfter
 */
import { readFileSync } from 'node:fs';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { rulesHash } from '../../../src/core/privacy/rulesHash';
import { maskKeyDirOfStore, maskKeyFor } from '../../../src/infra/keys/maskKeyFile';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { Store } from '../../../src/infra/sqlite/store';

const [db, backend, rulesFile, killAfter] = process.argv.slice(2) as [string, BackendName, string, string];
const customRules = JSON.parse(readFileSync(rulesFile, 'utf8')) as unknown[];
void (async () => {
  const store = await Store.open(db, backend);
  const guard = createPrivacyGuard({ customRules, hmacKey: maskKeyFor(maskKeyDirOfStore(db)) });
  await store.remask({
    guard,
    level: 'standard',
    rulesHash: rulesHash('standard', customRules),
    // the parent resumes as the same owner (a crashed holder's lease would otherwise last its TTL, 60 s)
    leaseOwner: 'test',
    batchRows: 5,
    flushEveryMs: 0,
    afterBatch: (b) => {
      if (b === Number(killAfter)) process.kill(process.pid, 'SIGKILL');
    },
  });
  process.stdout.write('finished without being killed\n');
})();
