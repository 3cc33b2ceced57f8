import { Errors, MAX_INVOICE_DOCUMENT, withField } from '@barback/messaging';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes an XML body too (application/xml, text/xml): formbody.ts lets it through on /api/. */
    xmlBody?: boolean;
  }
}

/** The most a JSON body `{document}` may be: the 2 MB document with room for JSON's escaping of its quotes. */
export const MAX_JSON_BODY = 3 * 1024 * 1024;
/**
 * Past this a body is not read to its end before the refusal: up to it, the
 * rest is drained so the client, still sending, reads the 400 instead of a
 * reset connection.
 */
const DRAIN_AT_MOST = 16 * 1024 * 1024;

/** Over the limit: a 400 naming the document and the limit, not the framework's 413. */
export function documentTooLarge(bytes: number | null): Error {
  const size = bytes === null ? 'more than 2 MB' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return withField(new Errors.validation(`The document is ${size}; the limit is 2 MB.`), 'document');
}

type Done = (err: Error | null, body?: unknown) => void;

/** Reads a body up to `limit` bytes, as UTF-8 text without a byte-order mark, then hands it to `parse`. */
function limitedBody(limit: number, parse: (text: string) => unknown) {
  return (request: FastifyRequest, payload: IncomingMessage, done: Done): void => {
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > DRAIN_AT_MOST) {
      done(documentTooLarge(declared));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (err: Error | null, body?: unknown) => {
      if (finished) return;
      finished = true;
      done(err, body);
    };
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_AT_MOST) {
        payload.pause();
        finish(documentTooLarge(size));
      } else if (size <= limit) {
        chunks.push(chunk);
      }
    });
    payload.on('end', () => {
      if (size > limit) {
        finish(documentTooLarge(size));
        return;
      }
      try {
        finish(null, parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '')));
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      }
    });
    payload.on('error', (err) => finish(err));
  };
}

/**
 * The import route's own body parsers, in its own plugin: the document as
 * XML (application/xml, text/xml) up to 2 MB, or as JSON `{document}` up to
 * MAX_JSON_BODY, each refused past its limit with a 400 naming the document.
 * Everywhere else the API takes JSON up to 64 KB (build.ts, formbody.ts).
 */
export function useInvoiceBodyParsers(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    limitedBody(MAX_JSON_BODY, (text) => {
      let parsed: unknown;
      // Fastify's own JSON parser (prototype poisoning refused), and its own 400 for a body that is not JSON.
      // Synchronous: its callback has run when it returns.
      void json({} as FastifyRequest, text, (err, body) => {
        if (err) throw err;
        parsed = body;
      });
      return parsed;
    }),
  );
  fastify.addContentTypeParser(['application/xml', 'text/xml'], limitedBody(MAX_INVOICE_DOCUMENT, (text) => text));
}
