import type { RpcClient } from '@barback/messaging';
import type { FrontEndConfig } from './config.js';
import type { Passwords } from './services/passwords.js';
import type { WorkerPing } from './plugins/app/rpc.js';

/** What the encrypted session cookie holds: enough to address the worker, never trusted alone. */
export interface SessionUser {
  staffId: string;
  venueId: string;
  name: string;
  role: 'manager' | 'bartender';
  venueName: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: FrontEndConfig;
    rpc: RpcClient;
    workerPing: WorkerPing;
    passwords: Passwords;
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    user: SessionUser;
    /** WAL position of this user's last write (see RequestEnvelope.minLsn). */
    lsn: string;
  }
}
