import { Email, Role, StaffMember, Text, staffActions } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { Password } from '../auth/schemas.js';
import { IdempotencyHeaders, listOf, readSecurity, sessionErrors, writeSecurity } from '../common.js';

/** The initial password is hashed by the front end; only the hash goes to the worker. */
export const CreateStaffBody = Type.Object(
  { name: Text(120), email: Email, role: Role, password: Password },
  { additionalProperties: false },
);

const tags = ['staff'];

export const createStaffSchema = {
  operationId: 'createStaff',
  tags,
  summary: 'Create a staff account (managers). The person must change the initial password at first login.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: CreateStaffBody,
  response: { 201: StaffMember, ...sessionErrors },
};

export const disableStaffSchema = {
  operationId: 'disableStaff',
  tags,
  summary: "Disable a staff account (managers): its next request is refused, whatever its cookie says.",
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: staffActions['staff.disableStaff'].request,
  response: { 200: StaffMember, ...sessionErrors },
};

export const listStaffSchema = {
  operationId: 'listStaff',
  tags,
  summary: "The venue's staff accounts (managers).",
  security: readSecurity,
  response: { 200: listOf(StaffMember), ...sessionErrors },
};
