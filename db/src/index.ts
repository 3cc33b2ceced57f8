export { migrate, MIGRATIONS_DIR, type MigrateOptions } from './migrate.js';
export { DbCluster, NoPrimaryError, isTransientDbError, lsnToBigInt, parseHosts, type DbClusterOptions, type TransactionBody, type WithCommit, type HostPort } from './cluster.js';
