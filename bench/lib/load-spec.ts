/** What bench/run.ts hands bench/load.ts, and the request bodies load.ts makes (pure). */

export interface SaleServing {
  id: string;
  priceCents: number;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface LoadSpec {
  /** http://127.0.0.1:<port>: loopback only. */
  url: string;
  kind: 'get' | 'sale' | 'login';
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
  warmupS: number;
  timeoutS: number;
  /** kind 'sale': what can be sold, with the price a line is charged. */
  servings?: SaleServing[];
  linesPerSale?: number;
  /** kind 'sale': the index in `servings` of one that every sale includes (the pint everyone orders). */
  popularServing?: number;
  /**
   * kind 'sale': a file to write, once the run is over, the id of every sale
   * answered 2xx in the measured phase with the wall-clock time (ms since
   * the epoch, sub-millisecond) its reply arrived: commit → stream and
   * commit → SSE latencies are measured from it (a sale commits just before
   * its reply leaves the worker).
   */
  salesOut?: string;
  /** kind 'login': accounts taken in turn. */
  logins?: Credentials[];
}

export interface SaleRequestBody {
  lines: { servingId: string; quantity: number }[];
  payments: { method: 'card'; amountCents: number }[];
}

/**
 * A quick sale of `lines` distinct servings (1 or 2 of each), paid by card
 * for exactly its total, as a till would send it. With `popular`, that
 * serving is always one of them.
 */
export function saleBody(servings: readonly SaleServing[], lines: number, random: () => number, popular?: number): SaleRequestBody {
  if (servings.length < lines) throw new Error(`need at least ${lines} servings, have ${servings.length}`);
  if (popular !== undefined && !servings[popular]) throw new Error(`no serving at index ${popular}`);
  const chosen = new Set<number>(popular === undefined ? [] : [popular]);
  while (chosen.size < lines) chosen.add(Math.floor(random() * servings.length) % servings.length);
  let total = 0;
  const out: SaleRequestBody['lines'] = [];
  for (const i of chosen) {
    const s = servings[i];
    if (!s) throw new Error(`no serving at index ${i}`);
    const quantity = 1 + (Math.floor(random() * 2) % 2);
    total += s.priceCents * quantity;
    out.push({ servingId: s.id, quantity });
  }
  return { lines: out, payments: [{ method: 'card', amountCents: total }] };
}
