export { migrate, MIGRATIONS_DIR, type MigrateOptions } from './migrate.js';
export { DbCluster, NoPrimaryError, SentWithCommit, isTransientDbError, lsnToBigInt, parseHosts, type DbClusterOptions, type HostPort } from './cluster.js';
