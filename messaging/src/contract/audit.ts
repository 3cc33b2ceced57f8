import { Type } from '@sinclair/typebox';
import { defineAction } from './define.js';
import { Nullable, Text, Timestamp, Uuid } from './common.js';

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
  'audit.listAuditEntries': defineAction({
    kind: 'read',
    auth: 'session',
    role: 'manager',
    request: Type.Object(
      {
        from: Type.Optional(Timestamp),
        to: Type.Optional(Timestamp),
        action: Type.Optional(Text(60)),
        staffId: Type.Optional(Uuid),
      },
      { additionalProperties: false },
    ),
    reply: Type.Object({ items: Type.Array(AuditEntry) }),
  }),
};
