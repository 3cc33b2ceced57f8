export * from './contract/index.js';
export * from './envelope.js';
export * from './errors.js';
export * from './topology.js';
export * from './validation.js';
export { connectBroker, redact } from './broker.js';
export { RpcClient, type CallOptions, type RpcClientOptions } from './rpc-client.js';
export { RpcServer, type Dispatch, type Dispatched, type RpcServerOptions, type ValidRequest } from './rpc-server.js';
export type { Log } from './log.js';
