import { Type } from '@sinclair/typebox';
import { Uuid } from '../contract/common.js';
import { StaffMember, Till } from '../contract/staff.js';
import { defineEvent } from './define.js';

/** Who it was about; never a password, PIN or hash. */
const Person = Type.Object({ staffId: Uuid, name: Type.String() });

export const staffEvents = {
  'staff.created': defineEvent({ version: 1, aggregateType: 'staff', description: 'An account was created (by a manager, or the first manager by registering the venue).', data: StaffMember }),
  'staff.disabled': defineEvent({ version: 1, aggregateType: 'staff', description: 'An account was disabled: it can no longer sign in.', data: StaffMember }),
  'staff.signedIn': defineEvent({
    version: 1,
    aggregateType: 'staff',
    description: 'Someone signed in, with a password or with a PIN on an enrolled till.',
    data: Type.Object({ ...Person.properties, via: Type.Union([Type.Literal('password'), Type.Literal('pin')]) }),
  }),
  'staff.signedOut': defineEvent({
    version: 1,
    aggregateType: 'staff',
    description:
      'Sessions of a person ended before their time: `this` when they logged out, `others` when they ended every session but ' +
      'the current one (sign out everywhere, or a password change that ended at least one). A disable ends them all (staff.disabled).',
    data: Type.Object({ ...Person.properties, sessions: Type.Union([Type.Literal('this'), Type.Literal('others')]) }),
  }),
  'staff.passwordChanged': defineEvent({ version: 1, aggregateType: 'staff', description: 'Someone changed their own password.', data: Person }),
  'staff.pinSet': defineEvent({ version: 1, aggregateType: 'staff', description: 'A till PIN was set, by its owner or a manager.', data: Type.Object({ ...Person.properties, setBy: Uuid }) }),
  'till.enrolled': defineEvent({ version: 1, aggregateType: 'till', description: 'A browser was enrolled as one of the venue’s tills.', data: Till }),
  'till.revoked': defineEvent({ version: 1, aggregateType: 'till', description: 'An enrolled till was revoked: its PIN sign-in stops working.', data: Till }),
};
