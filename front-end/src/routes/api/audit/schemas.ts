import { AuditEntry, staffActions, type RequestOf } from '@barback/messaging';
import { listOf, readSecurity, sessionErrors } from '../common.js';

export type AuditQuery = RequestOf<'audit.list'>;

export const auditLogSchema = {
  operationId: 'auditLog',
  tags: ['audit'],
  summary: 'The append-only audit trail (managers), filtered by period (ISO timestamps), action and staff member.',
  security: readSecurity,
  querystring: staffActions['audit.list'].request,
  response: { 200: listOf(AuditEntry), ...sessionErrors },
};
