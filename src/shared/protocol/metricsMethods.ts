import * as z from 'zod';
import { MetricsParamsSchema, MetricsReportSchema } from './metricsReport';
import { defineMethod } from './rpc';

/** The Metrics view's one request: every chart of a range in the user's time zone (shapes in metricsReport.ts). */
export const metricsGet = defineMethod('metrics/get', MetricsParamsSchema, MetricsReportSchema);

/**
 * Saves a chart's data (CSV or JSON, made in the webview) where the user picks: webviews cannot download files.
 * saved false: the user cancelled the dialog.
 */
export const exportSave = defineMethod(
  'export/save',
  z.object({
    /** A file name without folders: letters, digits, '-', '_', '.', spaces. */
    suggestedName: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\w .-]+$/),
    format: z.enum(['csv', 'json']),
    content: z.string().max(20_000_000),
  }),
  z.object({ saved: z.boolean() }),
);
