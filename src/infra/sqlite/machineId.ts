import { randomBytes } from 'node:crypto';
import type { SqlDriver } from './driver';

/**
 * This machine's id in synced rows (metadata.machine), which the dashboard's "All my machines" search shows as
 * where a result came from: 8 random hex digits made once per store and kept in its meta table, so the CLI and the
 * extension (one store per machine) agree. Never the host name: that often carries a person's name, and team
 * admins see it.
 */
export function machineId(db: SqlDriver): string {
  const read = () => db.prepare("SELECT value FROM meta WHERE key = 'machine_id'").get()?.value;
  const found = read();
  if (typeof found === 'string' && found) return found;
  // OR IGNORE: a second connection that made one first wins, and both then read the same id.
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('machine_id', ?)").run([randomBytes(4).toString('hex')]);
  return String(read());
}
