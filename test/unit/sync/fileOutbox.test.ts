import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileOutbox } from './fileOutbox';
import { describeOutboxConformance } from './outboxConformance';

// The test double used by the sync tests must itself honour the OutboxPort contract.
describeOutboxConformance('FileOutbox (test double, JSON file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cct-outbox-'));
  const file = join(dir, 'outbox.json');
  const box = new FileOutbox(file);
  return {
    port: box,
    enqueueSession: (row, p) => void box.enqueueSession(row, p ?? row.project_path),
    enqueueInteraction: (row, p) => void box.enqueueInteraction(row, p ?? null),
    reopen: () => new FileOutbox(file),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
});
