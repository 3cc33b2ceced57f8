import { randomUUID } from 'node:crypto';
import type { CallOptions } from '@barback/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callOptions, requestIdFor, scopedRequestId } from './auth.js';

/**
 * Options for a write made by an API route: the caller's Idempotency-Key,
 * scoped to the caller, becomes the request id the worker de-duplicates on,
 * so a repeated call returns the first result and records nothing new.
 */
export function writeOptions(request: FastifyRequest): CallOptions {
  const user = request.session.get('user');
  const requestId = user ? requestIdFor(request, user.staffId) : undefined;
  return { ...callOptions(request), ...(requestId ? { requestId } : {}) };
}

/** The hidden `idempotencyKey` field every page form carries: one fresh key per form per render. */
export const FORM_KEY_FIELD = 'idempotencyKey';
const FORM_KEY = /^[A-Za-z0-9-]{8,100}$/;

export function newFormKey(): string {
  return randomUUID();
}

/** The key a form was posted with, when it looks like one we issued. */
export function postedFormKey(body: unknown): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[FORM_KEY_FIELD];
  return typeof value === 'string' && FORM_KEY.test(value) ? value : undefined;
}

/**
 * Options for a write made by a page form. A double-tapped button or a
 * resubmitted form posts the same key again, and the worker answers the repeat
 * with the first reply instead of ringing the drink up twice.
 */
export function formWriteOptions(request: FastifyRequest): CallOptions {
  const user = request.session.get('user');
  const key = postedFormKey(request.body);
  if (!user || !key) return callOptions(request);
  const requestId = scopedRequestId(`${user.staffId}\nform`, key);
  return { ...callOptions(request), requestId };
}

/**
 * Answers with a worker's reply exactly as it arrived (RpcClient.callJson):
 * the worker serialised it by the contract the route's schema is built from,
 * so decoding, parsing and serialising it again here would only cost time
 * on every read.
 */
export function passJson(reply: FastifyReply, json: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
