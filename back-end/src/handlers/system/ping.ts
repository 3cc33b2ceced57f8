import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'system.ping',
  async handle(_db, _input, ctx) {
    return { workerId: ctx.workerId, at: new Date().toISOString() };
  },
});
