import { MetricsParamsSchema, MetricsReportSchema } from './metricsReport';
import { defineMethod } from './rpc';

/** The Metrics view's one request: every chart of a range in the user's time zone (shapes in metricsReport.ts). */
export const metricsGet = defineMethod('metrics/get', MetricsParamsSchema, MetricsReportSchema);
