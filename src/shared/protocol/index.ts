export * from './messages';
export * from './metricsMethods';
export * from './metricsReport';
export * from './privacyMethods';
export * from './privacyReport';
export * from './rpc';
export * from './sessionsMethods';
export * from './status';
