import { PrivacyReportParamsSchema, PrivacyReportSchema } from './privacyReport';
import { defineMethod } from './rpc';

/** The Privacy view's one request: the privacy report of a range (shapes in privacyReport.ts). */
export const privacyReport = defineMethod('privacy/report', PrivacyReportParamsSchema, PrivacyReportSchema);
