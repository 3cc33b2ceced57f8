import type { RpcClient } from '@barback/messaging';
import type { FrontEndConfig } from './config.js';
import type { Passwords } from './services/passwords.js';
import type { WorkerPing } from './plugins/app/rpc.js';
import type { ChangeSignal } from './plugins/app/changes.js';

/** What the encrypted session cookie holds: enough to address the worker, never trusted alone. */
export interface SessionUser {
  staffId: string;
  venueId: string;
  /** Its row in the database (migration 0012): every call names it, and the worker refuses it once ended. */
  sessionId: string;
  name: string;
  role: 'manager' | 'bartender';
  venueName: string;
  /** Signed in on an enrolled till: idle lock, and Lock/Log out go back to its PIN screen. */
  till?: { id: string; name: string };
  /** Signed in with a PIN: no staff, till, PIN or password administration (services/auth.ts). */
  pin?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: FrontEndConfig;
    rpc: RpcClient;
    workerPing: WorkerPing;
    passwords: Passwords;
    changeSignal: ChangeSignal;
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    user: SessionUser;
    /** WAL position of this user's last write (see RequestEnvelope.minLsn). */
    lsn: string;
    /** Epoch ms of a till session's last request: the server side of the idle lock. */
    seenAt: number;
  }
}
