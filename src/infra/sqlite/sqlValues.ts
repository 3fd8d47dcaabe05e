import type { SqlValue } from './driver';

/** A nullable TEXT column as a string (null stays null). */
export function str(v: SqlValue | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** A nullable INTEGER/REAL column as a number (null stays null). */
export function num(v: SqlValue | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}
