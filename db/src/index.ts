export { migrate, MIGRATIONS_DIR, type MigrateOptions } from './migrate.js';
export { NoPrimaryError, classifyFailure, isTransientDbError, type FailureKind } from './errors.js';
export { DbCluster, lsnToBigInt, parseHosts, type DbClusterOptions, type TransactionBody, type WithCommit, type HostPort } from './cluster.js';
