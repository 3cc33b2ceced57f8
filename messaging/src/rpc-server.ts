import { randomBytes } from 'node:crypto';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import type { Log as Logger } from './log.js';
import { connectBroker } from './broker.js';
import { currentActionName, isActionName, type ActionName } from './contract/index.js';
import { LSN_HEADER, REPLY_ERROR, REPLY_RESULT, type RequestEnvelope } from './envelope.js';
import { Errors, isCodedError, toWireError } from './errors.js';
import {
  DEAD_LETTER_EXCHANGE,
  DELIVERY_LIMIT,
  READ_QUEUE,
  REASON_HEADER,
  REFERENCE_HEADER,
  REQUEST_QUEUE,
  assertReadQueue,
  assertTopology,
} from './topology.js';
import { validateEnvelope, validateRequest } from './validation.js';

export interface ValidRequest extends RequestEnvelope {
  action: ActionName;
}

export interface Dispatched {
  /** The reply's JSON, written by the contract (serializeReply) before a write commits. */
  json: string;
  /** Set by writes: where the commit put the WAL. */
  lsn?: string;
}

/** The properties this server reads of a message (amqplib types them all as `any`). */
interface Properties {
  replyTo?: string;
  correlationId?: string;
  messageId?: string;
  type?: string;
  contentType?: string;
  headers?: MessagePropertyHeaders;
}

export type Dispatch = (request: ValidRequest, log: Logger) => Promise<Dispatched>;

/**
 * Whether trying a failed message again can help: `permanent` failures are
 * dead-lettered on their first delivery, the rest requeued up to the
 * delivery limit. The worker passes @barback/db's classifyFailure, the one
 * classification its dispatch also retries by.
 */
export type FailureClassifier = (err: unknown) => 'transient' | 'permanent' | 'unknown';

export interface RpcServerOptions {
  urls: string[];
  logger: Logger;
  workerId: string;
  /** How many requests this worker works on at once; sized to the database pool. */
  prefetch: number;
  dispatch: Dispatch;
  classifyFailure: FailureClassifier;
}

/**
 * Consumes the request queue. A message is acked only after its handler has
 * finished (for writes: after the commit), so a worker that dies mid-request
 * leaves it to be redelivered to another worker. Messages no worker could ever
 * handle are dead-lettered with the reason, and the worker carries on: at
 * once when they could never succeed (malformed, or a failure that would
 * recur), after the delivery limit when it might have been the moment.
 */
export class RpcServer {
  private manager: AmqpConnectionManager | null = null;
  private wrapper: ChannelWrapper | null = null;
  private consumer: { channel: ConfirmChannel; tags: string[] } | null = null;
  private inFlight = 0;
  private stopping = false;

  constructor(private readonly options: RpcServerOptions) {}

  start(): void {
    const { logger } = this.options;
    this.manager = connectBroker({ urls: this.options.urls, logger, connectionName: `worker ${this.options.workerId}` });
    this.wrapper = this.manager.createChannel({
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        await assertTopology(channel);
        await channel.prefetch(this.options.prefetch);
        if (this.stopping) return;
        const writes = await channel.consume(REQUEST_QUEUE, (msg) => void this.onMessage(channel, msg, REQUEST_QUEUE), {
          noAck: false,
        });
        const reads = await this.consumeReads(channel);
        this.consumer = { channel, tags: [writes.consumerTag, reads] };
        logger.info({ queues: [REQUEST_QUEUE, READ_QUEUE], prefetch: this.options.prefetch }, 'consuming requests');
      },
    });
    this.wrapper.on('error', (err) => logger.warn({ err: err.message }, 'worker channel error'));
  }

  async waitForConnect(): Promise<void> {
    await this.wrapper?.waitForConnect();
  }

  isConnected(): boolean {
    return this.consumer !== null && (this.manager?.isConnected() ?? false);
  }

  private async consumeReads(channel: ConfirmChannel): Promise<string> {
    const { consumerTag } = await channel.consume(READ_QUEUE, (msg) => void this.onMessage(channel, msg, READ_QUEUE), { noAck: false });
    return consumerTag;
  }

  /**
   * The broker cancels our read consumer when the node hosting the read queue
   * dies (the queue dies with it): declare it again, on a live node, and go on.
   */
  private async resubscribeReads(channel: ConfirmChannel): Promise<void> {
    for (let attempt = 1; !this.stopping && this.consumer?.channel === channel; attempt += 1) {
      try {
        await assertReadQueue(channel);
        const tag = await this.consumeReads(channel);
        this.consumer.tags[1] = tag;
        this.options.logger.info('read queue declared again after its consumer was cancelled');
        return;
      } catch (err) {
        this.options.logger.warn({ err: (err as Error).message, attempt }, 'could not consume the read queue yet');
        await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2000)));
      }
    }
  }

  private async onMessage(channel: ConfirmChannel, msg: ConsumeMessage | null, queue: string): Promise<void> {
    if (!msg) {
      this.options.logger.warn({ queue }, 'the broker cancelled the consumer');
      if (queue === READ_QUEUE) await this.resubscribeReads(channel);
      return;
    }
    this.inFlight += 1;
    try {
      await this.process(channel, msg);
    } catch (err) {
      // process() handles its own failures; this is the last guard that keeps the worker alive.
      this.options.logger.error({ err }, 'unexpected failure while handling a message');
    } finally {
      this.inFlight -= 1;
    }
  }

  private async process(channel: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const headers = msg.properties.headers ?? {};
    const log = this.options.logger.child({
      traceId: headers['x-trace-id'],
      correlationId: msg.properties.correlationId,
      requestId: msg.properties.messageId,
      action: msg.properties.type,
    });

    let body: unknown;
    try {
      body = JSON.parse(msg.content.toString('utf8'));
    } catch (err) {
      return this.deadLetter(channel, msg, log, `unparseable JSON: ${(err as Error).message}`);
    }
    const envelopeProblem = validateEnvelope(body);
    if (envelopeProblem) return this.deadLetter(channel, msg, log, `invalid envelope: ${envelopeProblem.message}`);
    const request = body as RequestEnvelope;
    request.action = currentActionName(request.action);
    if (!isActionName(request.action)) return this.deadLetter(channel, msg, log, `unknown action "${request.action}"`);
    const payloadProblem = validateRequest(request.action, request.payload);
    if (payloadProblem) return this.deadLetter(channel, msg, log, `payload fails the ${request.action} schema: ${payloadProblem.message}`);

    if (Date.now() > request.deadline) {
      // The caller has already been told there was no answer; doing the work now would surprise them.
      log.warn('request expired before a worker reached it; skipped');
      this.ack(channel, msg, log);
      return;
    }

    const started = process.hrtime.bigint();
    try {
      const { json, lsn } = await this.options.dispatch(request as ValidRequest, log);
      this.reply(channel, msg, REPLY_RESULT, json, lsn);
      this.ack(channel, msg, log);
      log.debug({ ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'handled');
    } catch (err) {
      if (isCodedError(err) && (err.statusCode ?? 500) < 500) {
        this.reply(channel, msg, REPLY_ERROR, JSON.stringify(toWireError(err)));
        this.ack(channel, msg, log);
        log.info({ code: err.code }, 'refused');
        return;
      }
      const kind = this.options.classifyFailure(err);
      if (kind === 'permanent') {
        // A constraint the data breaks, a bug: the next delivery would fail the same way, only later.
        log.error({ err, kind }, 'handler failed; it would fail again');
        return this.deadLetter(channel, msg, log, `handler failed, and would fail again: ${failureText(err)}`);
      }
      // Quorum queues count deliveries; the classic read queue only says whether it redelivered, so a read gets two tries.
      const isRead = msg.fields.routingKey === READ_QUEUE;
      const deliveries = isRead ? (msg.fields.redelivered ? 2 : 1) : Number(headers['x-delivery-count'] ?? 0) + 1;
      log.error({ err, kind, deliveries }, 'handler failed');
      if (deliveries >= (isRead ? 2 : DELIVERY_LIMIT)) {
        return this.deadLetter(channel, msg, log, `handler failed ${deliveries} times, last: ${failureText(err)}`);
      }
      // Requeue for another worker (or this one) to try; the broker counts deliveries and dead-letters past the limit.
      setTimeout(() => this.nack(channel, msg, log), 100 * deliveries).unref();
    }
  }

  /** `type` says whether `json` is the result or a WireError (see envelope.ts). */
  private reply(channel: ConfirmChannel, msg: ConsumeMessage, type: typeof REPLY_RESULT | typeof REPLY_ERROR, json: string, lsn?: string): void {
    const { replyTo, correlationId } = msg.properties as Properties;
    if (!replyTo) return;
    try {
      channel.publish('', replyTo, Buffer.from(json), {
        correlationId,
        contentType: 'application/json',
        type,
        headers: lsn ? { [LSN_HEADER]: lsn } : {},
      });
    } catch (err) {
      // A lost reply only makes the caller time out; the work is done and safe to ack.
      this.options.logger.warn({ err: (err as Error).message }, 'could not send reply');
    }
  }

  /**
   * Publishes to the dead-letter exchange with the reason and a reference,
   * waits for the broker's confirm, then acks. The caller is told only the
   * reference: the reason can be the database's own words about its tables
   * or the data, which are for whoever reads the log, not for the caller.
   */
  private async deadLetter(channel: ConfirmChannel, msg: ConsumeMessage, log: Logger, reason: string): Promise<void> {
    // Short enough to read out over the phone, and found with grep in the log and the dead letters.
    const reference = randomBytes(5).toString('hex');
    log.warn({ reason, reference }, 'dead-lettering message');
    const props = msg.properties as Properties;
    try {
      await new Promise<void>((resolve, reject) => {
        channel.publish(
          DEAD_LETTER_EXCHANGE,
          msg.fields.routingKey,
          msg.content,
          {
            correlationId: props.correlationId,
            messageId: props.messageId,
            type: props.type,
            contentType: props.contentType,
            persistent: true,
            headers: {
              ...(props.headers ?? {}),
              [REASON_HEADER]: reason,
              [REFERENCE_HEADER]: reference,
              'x-barback-worker': this.options.workerId,
              'x-barback-dead-lettered-at': new Date().toISOString(),
            },
          },
          (err: unknown) => {
            // amqplib passes an Error when the broker nacks the message.
            if (err) reject(err instanceof Error ? err : new Error('the broker did not confirm the dead letter'));
            else resolve();
          },
        );
      });
    } catch (err) {
      // Fall back on the queue's own dead-lettering (reason "rejected") rather than lose the message.
      log.error({ err: (err as Error).message }, 'dead-letter publish failed; rejecting instead');
      try {
        channel.nack(msg, false, false);
      } catch {
        /* channel gone: the broker redelivers it */
      }
      return;
    }
    this.reply(channel, msg, REPLY_ERROR, JSON.stringify(toWireError(new Errors.rejectedMessage(reference))));
    this.ack(channel, msg, log);
  }

  private ack(channel: ConfirmChannel, msg: ConsumeMessage, log: Logger): void {
    try {
      channel.ack(msg);
    } catch (err) {
      // The channel closed under us: the broker will redeliver, and the request id makes the repeat harmless.
      log.warn({ err: (err as Error).message }, 'ack failed');
    }
  }

  private nack(channel: ConfirmChannel, msg: ConsumeMessage, log: Logger): void {
    try {
      channel.nack(msg, false, true);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'nack failed');
    }
  }

  /** Stops taking new messages, lets the ones in hand finish, then closes. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const consumer = this.consumer;
    if (consumer) for (const tag of consumer.tags) await consumer.channel.cancel(tag).catch(() => undefined);
    const until = Date.now() + graceMs;
    while (this.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    await this.wrapper?.close().catch(() => undefined);
    await this.manager?.close().catch(() => undefined);
    this.consumer = null;
  }
}

/** An error's code (SQLSTATE, errno) and message, for the log and the dead letter. */
function failureText(err: unknown): string {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(err);
  return typeof code === 'string' ? `${code}: ${text}` : text;
}
