/**
 * A Server-Sent Events reader for the tests: connects over real HTTP (inject
 * cannot stream), parses `id:`/`event:`/`data:` blocks as a browser's
 * EventSource would, and lets a test wait for the events it expects.
 */
export interface SseMessage {
  id: string | null;
  event: string | null;
  data: string;
}

export interface SseConnection {
  status: number;
  messages: SseMessage[];
  /** Resolves when the server ends the response (or close() aborts it). */
  ended: Promise<void>;
  /** Resolves once `count` messages have arrived in all, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const messages: SseMessage[] = [];
  const waiters: (() => void)[] = [];
  let ended: Promise<void> = Promise.resolve();
  if (res.ok && res.body) {
    const decoder = new TextDecoder();
    let buffer = '';
    ended = (async () => {
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const m: SseMessage = { id: null, event: null, data: '' };
            let hasData = false;
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) m.id = line.slice(4);
              else if (line.startsWith('event: ')) m.event = line.slice(7);
              else if (line.startsWith('data: ')) {
                m.data += line.slice(6);
                hasData = true;
              }
            }
            if (hasData) {
              messages.push(m);
              for (const w of waiters.splice(0)) w();
            }
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  return {
    status: res.status,
    messages,
    ended,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${messages.length} of ${count} SSE messages after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return messages.slice(0, count);
    },
    close: () => controller.abort(),
  };
}
