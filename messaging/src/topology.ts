import type { Channel } from 'amqplib';

/** Writes: a durable quorum queue, replicated on three nodes, with a delivery limit and dead-lettering. */
export const REQUEST_QUEUE = 'barback.requests';
/**
 * Reads: a transient classic queue on one node. A read lost with its node is
 * simply asked again, so reads skip the quorum queue's replication (about 2 ms
 * a round trip on the 2-core machine, against 0.4 ms here) and its confirms.
 * When the node hosting it dies the queue goes with it, and whoever connects
 * next declares it again on a live node.
 */
export const READ_QUEUE = 'barback.reads';
export const DEAD_LETTER_EXCHANGE = 'barback.dlx';
export const DEAD_LETTER_QUEUE = 'barback.dead-letter';
/** A message redelivered this many times (a worker crashing on it) is dead-lettered by the broker. */
export const DELIVERY_LIMIT = 5;

/** Header a worker sets on a message it dead-letters itself, saying why. */
export const REASON_HEADER = 'x-barback-reason';
/** Header beside it with the reference the caller was given (and the worker logged), to find one from the other. */
export const REFERENCE_HEADER = 'x-barback-reference';

/**
 * Arguments must be identical wherever the queue is declared (app, definitions
 * for compose/k8s): RabbitMQ refuses a re-declaration with different ones.
 */
export const requestQueueArguments = {
  'x-queue-type': 'quorum',
  'x-delivery-limit': DELIVERY_LIMIT,
  'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
} as const;

export const readQueueArguments = {
  'x-queue-type': 'classic',
} as const;

export const deadLetterQueueArguments = {
  'x-queue-type': 'quorum',
} as const;

/** Idempotent: both front ends and workers call it on every (re)connect, whoever comes first creates it. */
export async function assertTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(DEAD_LETTER_QUEUE, { durable: true, arguments: deadLetterQueueArguments });
  await channel.bindQueue(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, '');
  await channel.assertQueue(REQUEST_QUEUE, { durable: true, arguments: requestQueueArguments });
  await assertReadQueue(channel);
}

export async function assertReadQueue(channel: Channel): Promise<void> {
  await channel.assertQueue(READ_QUEUE, { durable: false, autoDelete: false, arguments: readQueueArguments });
}

export function queueFor(kind: 'read' | 'write'): string {
  return kind === 'read' ? READ_QUEUE : REQUEST_QUEUE;
}
