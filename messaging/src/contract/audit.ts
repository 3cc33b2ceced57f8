import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Instant, Nullable, Text, Timestamp, Uuid, pageOf, pageRequest } from './common.js';

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  staffId: Nullable(Uuid),
  staffName: Nullable(Type.String()),
  action: Type.String(),
  entityType: Nullable(Type.String()),
  entityId: Nullable(Uuid),
  reason: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const auditActions = {
  /** The venue's audit trail, newest first, a page at a time (nextCursor); from and to inclusive. */
  'audit.listAuditEntries': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        from: Type.Optional(Instant),
        to: Type.Optional(Instant),
        action: Type.Optional(Text(60)),
        staffId: Type.Optional(Uuid),
        ...pageRequest,
      },
      { additionalProperties: false },
    ),
    reply: pageOf(AuditEntry),
  }),
};
