import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Timestamp } from './common.js';

export const systemActions = {
  /** Lets a front end tell an operator when a worker last answered. */
  'system.ping': defineAction({
    kind: 'read',
    auth: 'none',
    request: Type.Object({}, { additionalProperties: false }),
    reply: Type.Object({ workerId: Type.String(), at: Timestamp }),
  }),
};
