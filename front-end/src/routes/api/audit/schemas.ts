import { auditActions } from '@barback/messaging';
import { readSecurity, sessionErrors } from '../common.js';

export const auditLogSchema = {
  operationId: 'auditLog',
  tags: ['audit'],
  summary:
    'The append-only audit trail (managers), newest first, filtered by period (ISO timestamps, inclusive), action and staff ' +
    'member, a page at a time: pass nextCursor back as cursor, with the same filters, for the next page.',
  security: readSecurity,
  querystring: auditActions['audit.listAuditEntries'].request,
  response: { 200: auditActions['audit.listAuditEntries'].reply, ...sessionErrors },
};
