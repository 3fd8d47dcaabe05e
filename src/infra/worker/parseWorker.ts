/**
 * The parse half of a parallel cold scan, run inside a worker: tail → parse → normalize → mask each file
 * and post its chunks to the writer thread, in file order, with credit-based back-pressure.
 */
import type { MessagePort } from 'node:worker_threads';
import { readFileChunks } from '../../core/collector/fileReader';
import { NodeFileTailer } from '../fs/fileTailer';
import { fsTranscriptSource } from '../fs/transcriptDiscovery';
import type { ParseJobInput, ParseToWriter, WriterToParse } from './protocol';
import { createWorkerGuard } from './workerGuard';

/** Chunks posted but not yet written: bounds memory when the writer is the slower half. */
const MAX_IN_FLIGHT = 8;

export async function runParseJob(input: ParseJobInput, port: MessagePort): Promise<void> {
  const post = (m: ParseToWriter) => port.postMessage(m);
  let inFlight = 0;
  let cancelled = false;
  let wake: (() => void) | undefined;
  port.on('message', (m: WriterToParse) => {
    if (m.type === 'ack') inFlight--;
    else if (m.type === 'cancel') cancelled = true;
    wake?.();
  });
  const masker = createWorkerGuard(input);
  const deps = { tailer: new NodeFileTailer(), source: fsTranscriptSource, masker };
  for (let i = 0; i < input.files.length && !cancelled; i++) {
    const { file, cursor } = input.files[i]!;
    const result = await readFileChunks(file, cursor, deps, async (chunk) => {
      post({ type: 'chunk', chunk });
      inFlight++;
      while (inFlight >= MAX_IN_FLIGHT && !cancelled) await new Promise<void>((r) => (wake = r));
    });
    post({ type: 'fileDone', index: i, result });
  }
  post({ type: 'end' });
}
