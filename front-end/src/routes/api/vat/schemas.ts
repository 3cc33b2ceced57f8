import { vatActions } from '@barback/messaging';
import { readSecurity, sessionErrors } from '../common.js';

const tags = ['vat'];

export const getVatReturnSchema = {
  operationId: 'getVatReturn',
  tags,
  summary:
    'The VAT3 (managers): period = the first month of a two-month period (e.g. 2026-11 for November–December), or from and to ' +
    '(inclusive dates, at most 366 days) for another filing frequency; exactly one of the two. Boxes in cents and, under ros, ' +
    'in whole euro as ROS takes them (T1 and T2 rounded half up, T3 and T4 from those).',
  security: readSecurity,
  querystring: vatActions['vat.getVatReturn'].request,
  response: { 200: vatActions['vat.getVatReturn'].reply, ...sessionErrors },
};

export const getVatWorkingsSchema = {
  operationId: 'getVatWorkings',
  tags,
  summary: 'Every sale, refund and delivery the VAT return for the same period counts, one row per document and rate (managers).',
  security: readSecurity,
  querystring: vatActions['vat.getVatWorkings'].request,
  response: { 200: vatActions['vat.getVatWorkings'].reply, ...sessionErrors },
};

export const getTradingDetailsSchema = {
  operationId: 'getTradingDetails',
  tags,
  summary: 'The Return of Trading Details for a calendar year (managers): net sales and purchases for resale by rate, the year’s VAT.',
  security: readSecurity,
  querystring: vatActions['vat.getTradingDetails'].request,
  response: { 200: vatActions['vat.getTradingDetails'].reply, ...sessionErrors },
};
