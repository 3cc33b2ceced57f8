import { Email, Role, StaffMember, Text, Till, Uuid, staffActions } from '@barback/messaging';
import { Type } from '@sinclair/typebox';
import { Password, Pin } from '../auth/schemas.js';
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

const passwordSession = ' Needs a session signed in with email and password: a PIN session gets 403 BB_PASSWORD_REQUIRED.';

export const EnrolTillBody = Type.Object({ name: Text(60) }, { additionalProperties: false });

export const enrolTillSchema = {
  operationId: 'enrolTill',
  tags,
  summary: 'Enrol this browser as one of the venue\'s tills (managers): sets its long-lived `bb_till` cookie.',
  description: `Staff then sign in on it with a PIN (pinLogin), until a manager revokes it (revokeTill).${passwordSession}`,
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: EnrolTillBody,
  response: { 201: Till, ...sessionErrors },
};

export const listTillsSchema = {
  operationId: 'listTills',
  tags,
  summary: "The venue's tills, revoked ones included (managers).",
  security: readSecurity,
  response: { 200: listOf(Till), ...sessionErrors },
};

export const revokeTillSchema = {
  operationId: 'revokeTill',
  tags,
  summary: 'Revoke a till (managers): its cookie signs no one in from the next PIN on.',
  description: passwordSession.trim(),
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: staffActions['staff.revokeTill'].request,
  response: { 200: Till, ...sessionErrors },
};

/** The PIN is hashed by the front end; only the hash goes to the worker. */
export const SetStaffPinBody = Type.Object({ staffId: Uuid, pin: Pin }, { additionalProperties: false });

export const setStaffPinSchema = {
  operationId: 'setStaffPin',
  tags,
  summary: "Set or reset a staff member's PIN for the tills (managers); also lifts a PIN lock-out.",
  description: `A PIN of one repeated digit or a run like 1234 is refused (400, field pin).${passwordSession}`,
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: SetStaffPinBody,
  response: { 200: StaffMember, ...sessionErrors },
};
