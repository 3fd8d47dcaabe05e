import { realpathSync } from 'node:fs';
import {
  type NormalizedPath,
  normalizePath,
  type PathStyle,
  type RealPath,
  styleFor,
} from '../../core/codeContext/pathNormalizer';

/** The file system behind the path normalizer: the real path of an existing file, else undefined. */
export const fsRealPath: RealPath = (p) => {
  // A masked span cannot name a real file; skip the system call.
  if (p.includes('«') || p.includes('[REDACTED')) return undefined;
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
};

/** Path style on this machine for a path (or cwd) a transcript recorded. */
export function localPathStyle(sample: string | undefined): PathStyle {
  return styleFor(sample, process.platform);
}

/** The stored form of a file the user names (`cct files PATH`, the editor's active file): absolute, real, keyed. */
export function localFileKey(file: string, cwd: string): NormalizedPath | undefined {
  return normalizePath(file, { cwd, style: localPathStyle(file), realpath: fsRealPath });
}
