/** Runs the real pipeline (fs tailer, Privacy Guard, SQLite store) over a temp tree, for edge-case tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Collector } from '../../../src/core/collector/collector';
import { PriceTable } from '../../../src/core/pricing/priceTable';
import { createPrivacyGuard } from '../../../src/core/privacy';
import { listSessions } from '../../../src/core/sessions/listSessions';
import { NodeFileTailer, type TailerOptions } from '../../../src/infra/fs/fileTailer';
import { fsTranscriptSource } from '../../../src/infra/fs/transcriptDiscovery';
import type { BackendName } from '../../../src/infra/sqlite/driver';
import { Store } from '../../../src/infra/sqlite/store';

export const guard = createPrivacyGuard({ hmacKey: 'unit-test-key-0123456789abcdef' });

export class TempTree {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'cct-unit-'));
  readonly projects = path.join(this.root, 'cfg', 'projects');
  readonly db = path.join(this.root, 'store.db');

  file(rel: string): string {
    const p = path.join(this.projects, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    return p;
  }
  write(rel: string, text: string | Buffer): string {
    const p = this.file(rel);
    fs.writeFileSync(p, text);
    return p;
  }
  append(rel: string, text: string | Buffer): void {
    fs.appendFileSync(this.file(rel), text);
  }
  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export async function openEngine(tree: TempTree, backend: BackendName = 'node:sqlite', tailer: TailerOptions = {}) {
  const store = await Store.open(tree.db, backend);
  const collector = new Collector(store, fsTranscriptSource, new NodeFileTailer(tailer), guard);
  return {
    store,
    scan: () => collector.scan([path.join(tree.root, 'cfg')]),
    sessions: () => listSessions(store, PriceTable.builtin()),
    session: (id: string) => listSessions(store, PriceTable.builtin()).find((s) => s.sessionId === id),
    close: () => store.close(),
  };
}
