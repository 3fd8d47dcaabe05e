/**
 * Normalizes the file paths tool calls name, so "which sessions touched this file?" compares like with like:
 * absolute (relative paths resolved against the session's cwd), `.`/`..` resolved, Windows separators turned to `/`,
 * symlinks resolved where the path exists (through the injected `realpath`, which the caller backs with the file
 * system), and a comparison key folded to lower case on case-insensitive file systems.
 * Pure: no file system access of its own. The inputs are masked text; a masked span («…») is kept as stored.
 */
export interface PathStyle {
  /** Windows paths (`C:\…`, `\\server\share\…`): `\` is a separator and drive letters compare upper-case. */
  windows: boolean;
  /** The file system ignores case (macOS and Windows defaults): the key is lower-cased. */
  caseInsensitive: boolean;
}

export interface NormalizedPath {
  /** Absolute, `/`-separated, for display and storage. */
  path: string;
  /** What equal files share: `path`, lower-cased where the file system ignores case. */
  key: string;
}

/** Returns the real path of an existing file (symlinks resolved), or undefined when it cannot be resolved. */
export type RealPath = (absolute: string) => string | undefined;

const WIN_ABS = /^(?:[A-Za-z]:[\\/]|\\\\|\/\/)/;

/** A path written the Windows way: a drive letter or a UNC prefix. */
export function looksWindows(p: string): boolean {
  return WIN_ABS.test(p);
}

export function isAbsolutePath(p: string, windows: boolean): boolean {
  return windows ? WIN_ABS.test(p) || p.startsWith('\\') || p.startsWith('/') : p.startsWith('/');
}

/**
 * `raw` made absolute against `cwd` (when relative and a cwd is known) and normalized; undefined when it is
 * relative and no cwd is known, or empty.
 */
export function normalizePath(
  raw: string,
  opts: { cwd?: string; style: PathStyle; realpath?: RealPath },
): NormalizedPath | undefined {
  const { style } = opts;
  let p = raw.trim();
  if (!p) return undefined;
  if (!isAbsolutePath(p, style.windows)) {
    if (!opts.cwd) return undefined;
    p = `${opts.cwd}/${p}`;
  }
  let path = lexical(p, style.windows);
  const real = opts.realpath?.(path);
  if (real) path = lexical(real, style.windows);
  return { path, key: style.caseInsensitive ? path.toLowerCase() : path };
}

/** `/`-separated, `.` and `..` and repeated separators resolved, drive letter upper-case (Windows). */
export function lexical(p: string, windows: boolean): string {
  let s = windows ? p.replace(/\\/g, '/') : p;
  let prefix = '/';
  if (windows) {
    const drive = /^([A-Za-z]):\/?/.exec(s);
    if (drive) {
      prefix = `${drive[1]!.toUpperCase()}:/`;
      s = s.slice(drive[0].length);
    } else if (s.startsWith('//')) {
      prefix = '//';
      s = s.slice(2);
    }
  }
  const out: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return prefix + out.join('/');
}

/**
 * `file` relative to `root` (both normalized), or undefined when it is outside. Compared by key, so a
 * case-insensitive file system matches `/Repo/a` under `/repo`.
 */
export function relativeToRoot(file: NormalizedPath, root: NormalizedPath): string | undefined {
  const rootKey = root.key.endsWith('/') ? root.key : `${root.key}/`;
  if (file.key === root.key) return '';
  if (!file.key.startsWith(rootKey)) return undefined;
  return file.path.slice(rootKey.length);
}

/** The path style of the machine that wrote a path, guessed from the path (Windows form) and this platform. */
export function styleFor(sample: string | undefined, platform: string): PathStyle {
  const windows = platform === 'win32' || (sample !== undefined && looksWindows(sample));
  return { windows, caseInsensitive: windows || platform === 'darwin' };
}
