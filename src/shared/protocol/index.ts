export * from './messages';
export * from './rpc';
export * from './sessionActionMethods';
export * from './sessionsMethods';
export * from './status';
