import { Sale, Tab, tillActions } from '@barback/messaging';
import { IdempotencyHeaders, IdParams, listOf, readSecurity, sessionErrors, writeSecurity } from '../common.js';

const tags = ['till'];

export const openTabSchema = {
  operationId: 'openTab',
  tags,
  summary: 'Open a tab under a name or a table.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: tillActions['till.openTab'].request,
  response: { 201: Tab, ...sessionErrors },
};

export const addTabLineSchema = {
  operationId: 'addTabLine',
  tags,
  summary: 'Ring up a serving on an open tab, at its current price.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: tillActions['till.addTabLine'].request,
  response: { 200: Tab, ...sessionErrors },
};

export const voidTabLineSchema = {
  operationId: 'voidTabLine',
  tags,
  summary: 'Void a line of an open tab; the reason is required and audited.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: tillActions['till.voidTabLine'].request,
  response: { 200: Tab, ...sessionErrors },
};

export const splitTabSchema = {
  operationId: 'splitTab',
  tags,
  summary: 'Move some lines of an open tab to a new open tab, to be paid apart; at least one line stays. Answers the new tab.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: tillActions['till.splitTab'].request,
  response: { 201: Tab, ...sessionErrors },
};

export const closeTabSchema = {
  operationId: 'closeTab',
  tags,
  summary: 'Pay a tab: the payments must add up exactly to its total. The closed tab is a sale.',
  security: writeSecurity,
  headers: IdempotencyHeaders,
  body: tillActions['till.closeTab'].request,
  response: { 200: Sale, ...sessionErrors },
};

export const listOpenTabsSchema = {
  operationId: 'listOpenTabs',
  tags,
  summary: "The venue's open tabs, with their lines and running totals.",
  security: readSecurity,
  response: { 200: listOf(Tab), ...sessionErrors },
};

export const getTabSchema = {
  operationId: 'getTab',
  tags,
  summary: 'One tab; 404 for an id that does not exist or belongs to another venue.',
  security: readSecurity,
  params: IdParams,
  response: { 200: Tab, ...sessionErrors },
};
