import * as z from 'zod';
import { PrivacyReportParamsSchema, PrivacyReportSchema } from './privacyReport';
import { defineMethod } from './rpc';

/** The Privacy view's one request: the privacy report of a range (shapes in privacyReport.ts). */
export const privacyReport = defineMethod('privacy/report', PrivacyReportParamsSchema, PrivacyReportSchema);

/** Opens VS Code's settings at the Privacy Guard's (level and custom rules). */
export const privacyOpenSettings = defineMethod(
  'privacy/openSettings',
  z.object({}),
  z.object({ opened: z.boolean() }),
);
