import { Errors } from '@barback/messaging';
import { findSession } from '../../queries/session.js';
import { defineHandler } from '../types.js';

export default defineHandler({
  action: 'auth.me',
  async handle(db, _input, ctx) {
    const session = await findSession(db, ctx.actor.staffId);
    if (!session) throw new Errors.sessionInvalid();
    return session;
  },
});
