/** What the store aggregates for the privacy report (src/infra/sqlite/privacyReads.ts); counts only, never values. */
export interface PrivacyReportRows {
  /** Findings per category and 15-minute UTC slot of the row they were found in (null: the row has no time). */
  slots: { category: string; slotMs: number | null; findings: number }[];
  /** Findings per category and rule id; rows stored before rules were recorded are missing here (not in `slots`). */
  rules: { category: string; ruleId: string; findings: number }[];
  /** The sessions with most findings, most first. */
  topSessions: {
    sessionId: string;
    projectPath: string | null;
    title: string | null;
    lastTs: number | null;
    findings: number;
    categories: Record<string, number>;
  }[];
  /** How many sessions have findings in the range (topSessions holds only the first few). */
  topSessionsTotal: number;
  /** meta `remask_last` as stored (JSON {at, level, rulesHash}), or null when the archive was never re-masked. */
  remaskLast: string | null;
}
