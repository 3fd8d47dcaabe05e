import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { type LiveSessionRecord, LiveSessionRecordSchema } from '../../core/live/liveSessionRecord';

export interface RegistryReadResult {
  records: LiveSessionRecord[];
  /** Files that could not be parsed (half-written during a rewrite, or an unknown shape). */
  invalid: { file: string; reason: string }[];
}

/** Reads `<config>/sessions/<pid>.json` for every config root. Only `<digits>.json`: never the `*.key` peer tokens. */
export async function readLiveRegistry(configRoots: readonly string[]): Promise<RegistryReadResult> {
  const out: RegistryReadResult = { records: [], invalid: [] };
  for (const root of configRoots) {
    const dir = path.join(root, 'sessions');
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/^\d+\.json$/.test(name)) continue;
      const file = path.join(dir, name);
      try {
        const text = await fs.readFile(file, 'utf8');
        const parsed = LiveSessionRecordSchema.safeParse(JSON.parse(text));
        if (parsed.success) out.records.push(parsed.data);
        else out.invalid.push({ file, reason: parsed.error.issues[0]?.message ?? 'invalid' });
      } catch (e) {
        // ENOENT: deleted between readdir and read (session ended) — not an error worth reporting.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') out.invalid.push({ file, reason: (e as Error).message });
      }
    }
  }
  return out;
}
