export { migrate, MIGRATIONS_DIR, type MigrateOptions } from './migrate.js';
export { DbCluster, NoPrimaryError, isTransientDbError, parseHosts, type DbClusterOptions, type HostPort } from './cluster.js';
