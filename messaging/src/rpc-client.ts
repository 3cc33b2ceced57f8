import { randomUUID } from 'node:crypto';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Log as Logger } from './log.js';
import { connectBroker } from './broker.js';
import { actions, type ActionName, type ReplyOf, type RequestOf } from './contract/index.js';
import { LSN_HEADER, REPLY_ERROR, REPLY_RESULT, type Actor, type RequestEnvelope } from './envelope.js';
import { Errors, fromWireError, withField, type CodedError, type WireError } from './errors.js';
import { READ_QUEUE, assertReadQueue, assertTopology, queueFor } from './topology.js';
import { validateReply, validateRequest } from './validation.js';

export interface RpcClientOptions {
  urls: string[];
  logger: Logger;
  timeoutMs: number;
  connectionName: string;
}

export interface CallOptions {
  actor?: Actor | null;
  /** Reuse it to retry the same logical request; writes are applied once per id. */
  requestId?: string;
  timeoutMs?: number;
  /** The HTTP request's logger, so the call's lines carry its correlation id. */
  log?: Logger;
  /** The HTTP request id, forwarded so worker log lines can be matched to it. */
  traceId?: string;
  /** The caller's last write position: reads will not be served by a standby that is behind it. */
  minLsn?: string;
  /** Told where a write's commit put the WAL, to pass as `minLsn` on the caller's next reads. */
  onCommitted?: (lsn: string) => void;
}

interface Pending {
  action: ActionName;
  /** Resolve with the reply's JSON text as the worker sent it. */
  raw: boolean;
  onCommitted: ((lsn: string) => void) | undefined;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over one connection and one exclusive reply queue per process.
 * Every call has its own correlation id and deadline; the request message
 * expires with the deadline so a worker never starts work nobody waits for.
 */
export class RpcClient {
  private manager: AmqpConnectionManager | null = null;
  private wrapper: ChannelWrapper | null = null;
  private channel: ConfirmChannel | null = null;
  private replyQueue: string | null = null;
  private readonly pending = new Map<string, Pending>();
  /** When any worker last answered this process: surfaced by /readyz. */
  lastReplyAt: Date | null = null;

  constructor(private readonly options: RpcClientOptions) {}

  start(): void {
    const { logger } = this.options;
    this.manager = connectBroker({ urls: this.options.urls, logger, connectionName: this.options.connectionName });
    this.manager.on('disconnect', () => {
      this.channel = null;
      this.failAll('connection lost');
    });
    this.wrapper = this.manager.createChannel({
      confirm: true,
      json: false,
      setup: (channel: ConfirmChannel) => this.setup(channel),
    });
    this.wrapper.on('error', (err) => logger.warn({ err: err.message }, 'rpc client channel error'));
  }

  /** Resolves once the first channel is set up (or rejects after `timeoutMs`). */
  async waitForConnect(timeoutMs = 30_000): Promise<void> {
    if (!this.wrapper) throw new Error('RpcClient.start() was not called');
    await Promise.race([
      this.wrapper.waitForConnect(),
      new Promise((_, reject) => setTimeout(() => reject(new Errors.brokerUnavailable('not reachable yet')), timeoutMs).unref()),
    ]);
  }

  isConnected(): boolean {
    return this.channel !== null && this.replyQueue !== null && (this.manager?.isConnected() ?? false);
  }

  /** The server-named reply queue of the current connection (it changes after a reconnect). */
  get replyQueueName(): string | null {
    return this.replyQueue;
  }

  private async setup(channel: ConfirmChannel): Promise<void> {
    await assertTopology(channel);
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    await channel.consume(queue, (msg) => this.onReply(msg), { noAck: true });
    channel.on('return', (msg: ConsumeMessage) => {
      this.settle(msg.properties.correlationId as string | undefined, new Errors.brokerUnavailable('request queue is missing'));
      // The read queue dies with its node; declare it again so the next read finds it.
      if (msg.fields.routingKey === READ_QUEUE) {
        assertReadQueue(channel).catch((err: unknown) =>
          this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not declare the read queue'),
        );
      }
    });
    channel.on('close', () => {
      if (this.channel === channel) {
        this.channel = null;
        this.failAll('channel closed');
      }
    });
    this.channel = channel;
    this.replyQueue = queue;
    this.options.logger.info({ replyQueue: queue }, 'rpc client ready');
  }

  /** Sends the request and resolves with the reply, checked against the contract on arrival. */
  async call<A extends ActionName>(action: A, payload: RequestOf<A>, options: CallOptions = {}): Promise<ReplyOf<A>> {
    return this.send(action, payload, options, false) as Promise<ReplyOf<A>>;
  }

  /**
   * The same, resolving with the reply's JSON bytes untouched (UTF-8), for a
   * caller that only passes them on (an API route answering with them): no
   * decoding, parse, check and re-serialisation on this side. The worker
   * serialised the reply by the contract before sending it, and `call`
   * remains for anyone who reads the reply.
   */
  async callJson<A extends ActionName>(action: A, payload: RequestOf<A>, options: CallOptions = {}): Promise<Buffer> {
    return this.send(action, payload, options, true) as Promise<Buffer>;
  }

  private async send<A extends ActionName>(action: A, payload: RequestOf<A>, options: CallOptions, raw: boolean): Promise<unknown> {
    const log = options.log ?? this.options.logger;
    const problem = validateRequest(action, payload);
    if (problem) throw withField(new Errors.validation(problem.message), problem.field);

    const channel = this.channel;
    const replyTo = this.replyQueue;
    if (!channel || !replyTo || !this.manager?.isConnected()) {
      throw new Errors.brokerUnavailable('not connected');
    }

    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const correlationId = randomUUID();
    const requestId = options.requestId ?? randomUUID();
    const envelope: RequestEnvelope = {
      v: 1,
      action,
      requestId,
      actor: options.actor ?? null,
      deadline: Date.now() + timeoutMs,
      payload,
    };
    if (options.minLsn) envelope.minLsn = options.minLsn;

    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        log.warn({ action, correlationId, requestId, timeoutMs }, 'rpc timed out');
        reject(new Errors.rpcTimeout(timeoutMs));
      }, timeoutMs);
      this.pending.set(correlationId, { action, raw, onCommitted: options.onCommitted, resolve, reject, timer });
      const write = actions[action].kind === 'write';
      try {
        channel.publish(
          '',
          queueFor(actions[action].kind),
          Buffer.from(JSON.stringify(envelope)),
          {
            correlationId,
            replyTo,
            messageId: requestId,
            type: action,
            contentType: 'application/json',
            // A write must survive a broker node; a read is asked again instead.
            persistent: write,
            mandatory: true,
            expiration: String(timeoutMs),
            timestamp: Math.floor(Date.now() / 1000),
            headers: options.traceId ? { 'x-trace-id': options.traceId } : {},
          },
          (err) => {
            if (err && write) this.settle(correlationId, new Errors.brokerUnavailable('the broker did not confirm the request'));
          },
        );
      } catch (err) {
        this.settle(correlationId, new Errors.brokerUnavailable((err as Error).message));
      }
    });
  }

  private onReply(msg: ConsumeMessage | null): void {
    if (!msg) return;
    const correlationId = msg.properties.correlationId as string | undefined;
    const pending = correlationId ? this.pending.get(correlationId) : undefined;
    this.lastReplyAt = new Date();
    if (!correlationId || !pending) {
      this.options.logger.warn({ correlationId }, 'dropping reply with unknown correlation id');
      return;
    }
    const type = msg.properties.type as string | undefined;
    if (type === REPLY_ERROR) {
      try {
        // A worker writes it with toWireError; a body that is not JSON at all is answered below.
        this.settle(correlationId, fromWireError(JSON.parse(msg.content.toString('utf8')) as WireError));
      } catch {
        this.settle(correlationId, new Errors.brokerUnavailable('a worker sent an unreadable reply'));
      }
      return;
    }
    if (type !== REPLY_RESULT) {
      this.settle(correlationId, new Errors.brokerUnavailable('a worker sent an unreadable reply'));
      return;
    }
    const headers: Record<string, unknown> = msg.properties.headers ?? {};
    const lsn = headers[LSN_HEADER];
    if (pending.raw) {
      if (typeof lsn === 'string') pending.onCommitted?.(lsn);
      this.settle(correlationId, null, msg.content);
      return;
    }
    let result: unknown;
    try {
      result = JSON.parse(msg.content.toString('utf8'));
    } catch {
      this.settle(correlationId, new Errors.brokerUnavailable('a worker sent an unreadable reply'));
      return;
    }
    const problem = validateReply(pending.action, result);
    if (problem) {
      this.options.logger.error({ action: pending.action, problem }, 'reply does not match the contract');
      this.settle(correlationId, new Errors.brokerUnavailable('a worker sent a reply that does not match the contract'));
      return;
    }
    if (typeof lsn === 'string') pending.onCommitted?.(lsn);
    this.settle(correlationId, null, result);
  }

  private settle(correlationId: string | undefined, err: CodedError | Error | null, value?: unknown): void {
    if (!correlationId) return;
    const pending = this.pending.get(correlationId);
    if (!pending) return;
    this.pending.delete(correlationId);
    clearTimeout(pending.timer);
    if (err) pending.reject(err);
    else pending.resolve(value);
  }

  /** Replies can no longer reach a reply queue that died with its channel: fail fast instead of waiting out the timeout. */
  private failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, new Errors.brokerUnavailable(reason));
  }

  async close(): Promise<void> {
    this.failAll('shutting down');
    await this.wrapper?.close().catch(() => undefined);
    await this.manager?.close().catch(() => undefined);
    this.channel = null;
  }
}
