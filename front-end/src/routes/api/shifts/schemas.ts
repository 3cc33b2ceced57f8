import { CashMovement, Shift, XReport, ZReport, shiftsActions } from '@barback/messaging';
import { IdempotencyHeaders, IdParams, readSecurity, sessionErrors, writeSecurity } from '../common.js';

const tags = ['shifts'];

export const startShiftSchema = {
  operationId: 'startShift',
  tags,
  summary: 'Start a shift with the float counted into the drawer (anyone on the till). One open per venue: 409 otherwise.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: shiftsActions['shifts.startShift'].request,
  response: { 201: Shift, ...sessionErrors },
};

export const recordCashMovementSchema = {
  operationId: 'recordCashMovement',
  tags,
  summary: 'Cash paid into or out of the drawer, with a reason (managers): it counts in the open shift’s expected cash.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: shiftsActions['shifts.recordCashMovement'].request,
  response: { 201: CashMovement, ...sessionErrors },
};

export const getXReportSchema = {
  operationId: 'getXReport',
  tags,
  summary: 'The open shift’s X report now (managers); changes nothing. 404 when no shift is open.',
  security: readSecurity,
  response: { 200: XReport, ...sessionErrors },
};

export const closeShiftSchema = {
  operationId: 'closeShift',
  tags,
  summary:
    'Close the open shift with the drawer’s count and get its Z report (managers). 409 while a tab is open or when no shift is; ' +
    'over or short by more than CASH_VARIANCE_NOTE_CENTS needs a note (400 naming note).',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: shiftsActions['shifts.closeShift'].request,
  response: { 200: ZReport, ...sessionErrors },
};

export const listZReportsSchema = {
  operationId: 'listZReports',
  tags,
  summary: 'Z reports, newest first, a page at a time: pass nextCursor back as cursor for the next page (managers).',
  security: readSecurity,
  querystring: shiftsActions['shifts.listZReports'].request,
  response: { 200: shiftsActions['shifts.listZReports'].reply, ...sessionErrors },
};

export const getZReportSchema = {
  operationId: 'getZReport',
  tags,
  summary: 'One Z report as it was printed (managers); 404 for an id of another venue.',
  security: readSecurity,
  params: IdParams,
  response: { 200: ZReport, ...sessionErrors },
};
