import * as z from 'zod';

/**
 * The extension's effective `claudeTracer.sync.excludeProjects`, recorded in the shared store (meta key below) so
 * that `cct sync push`, which cannot read VS Code settings, excludes the same projects. The value is a JSON array
 * of glob strings. A value that cannot be read is reported as such: the CLI then refuses to push (fail closed)
 * rather than sending the projects the user excluded.
 */
export const EXCLUDED_PROJECTS_META_KEY = 'sync_exclude_projects';

const StoredExclusionsSchema = z.array(z.string());

export type StoredExclusions =
  | { state: 'none' } // never recorded (the extension has not run against this store)
  | { state: 'ok'; globs: string[] }
  | { state: 'unreadable'; error: string };

/** Trimmed, non-empty, first occurrence kept, order kept. */
export function normalizeGlobs(globs: readonly string[]): string[] {
  const out: string[] = [];
  for (const g of globs) {
    const t = g.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

export function encodeExclusions(globs: readonly string[]): string {
  return JSON.stringify(normalizeGlobs(globs));
}

/** Reads the meta value: undefined / null = never recorded; anything but a JSON array of strings is unreadable. */
export function decodeExclusions(raw: string | null | undefined): StoredExclusions {
  if (raw === undefined || raw === null) return { state: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    return { state: 'unreadable', error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const r = StoredExclusionsSchema.safeParse(json);
  if (!r.success)
    return {
      state: 'unreadable',
      error: `not a list of globs (${r.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')})`,
    };
  return { state: 'ok', globs: normalizeGlobs(r.data) };
}

/**
 * Keeps the latest exclusion list and writes it on every record() (each time the extension applies its sync
 * settings) and when a writer attaches (the extension's store connection opens after its settings were first
 * applied). A failed write is reported through onError; the next record() or attach() writes again.
 */
export class ExclusionRecorder {
  private latest: string[] | undefined;
  private writer: ((globs: readonly string[]) => void) | undefined;

  constructor(private readonly onError: (e: unknown) => void = () => undefined) {}

  record(globs: readonly string[]): void {
    this.latest = normalizeGlobs(globs);
    this.flush();
  }

  attach(writer: (globs: readonly string[]) => void): void {
    this.writer = writer;
    this.flush();
  }

  detach(): void {
    this.writer = undefined;
  }

  private flush(): void {
    if (!this.writer || !this.latest) return;
    try {
      this.writer(this.latest);
    } catch (e) {
      this.onError(e);
    }
  }
}
