import { AuditEntry, auditActions, type RequestOf } from '@barback/messaging';
import { listOf, readSecurity, sessionErrors } from '../common.js';

export type AuditQuery = RequestOf<'audit.listAuditEntries'>;

export const auditLogSchema = {
  operationId: 'auditLog',
  tags: ['audit'],
  summary: 'The append-only audit trail (managers), filtered by period (ISO timestamps), action and staff member.',
  security: readSecurity,
  querystring: auditActions['audit.listAuditEntries'].request,
  response: { 200: listOf(AuditEntry), ...sessionErrors },
};
