/**
 * The back end as a package: what the benchmark's no-broker server and the
 * tests build a worker, or parts of one, from. The process itself starts in
 * server.ts; nothing here has side effects on import.
 */
export { loadConfig, type WorkerConfig } from './config.js';
export { createDbCluster, createWorker, type Worker } from './worker.js';
export { createDispatch } from './dispatch.js';
export { handlers } from './handlers/index.js';
export type { Handler, HandlerContext, ReadContext, WriteContext } from './handlers/types.js';
export type { ActorRecord, Queryable } from './types.js';

export { Job, type JobOptions } from './jobs/job.js';
export { createStockFolder, FOLD_DELAY_MS, StockFolder } from './jobs/stock-folder.js';
export {
  createRequestPurger,
  PURGE_BATCH,
  PURGE_INTERVAL_MS,
  PURGE_MAX_BATCHES,
  RequestPurger,
  type RequestPurgerOptions,
} from './jobs/request-purger.js';
export { foldStockMoves } from './queries/stock-moves.js';
export { purgeProcessedRequests } from './queries/processed-requests.js';

export { CatalogueCache, MAX_VENUES } from './catalogue-cache/catalogue-cache.js';
