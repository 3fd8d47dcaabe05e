export * from './messages';
export * from './rpc';
export * from './sessionsMethods';
export * from './status';
