/**
 * The outbox's price (issue 16: at most 15% of `write` throughput): the same
 * write run with the outbox and without it, in alternating order on one
 * stack. "Without" is a BEFORE INSERT trigger the bench puts on the outbox
 * table that drops every row: the workers run the same code, but no event
 * row is written, indexed, WAL-logged, placed, published or marked, and the
 * relay finds nothing to do. What stays is the worker building and checking
 * the events and sending them with the COMMIT (microseconds of a worker's
 * CPU per sale), so the figure is the database's and the relay's share of
 * the price, which is nearly all of it.
 */
import type pg from 'pg';
import { round } from './stats.js';

export interface OutboxPriceFigure {
  concurrency: number;
  pairs: { withRps: number; withoutRps: number; ratio: number }[];
  /** with / without, median of the pairs: 1.0 costs nothing, 0.85 is the limit. */
  ratioMedian: number;
  ratioMin: number;
  ratioMax: number;
}

/** Turns the outbox on (drops the bench's trigger) or off (creates it). */
export async function setOutbox(primary: pg.Pool, on: boolean): Promise<void> {
  if (on) {
    await primary.query('DROP TRIGGER IF EXISTS bench_outbox_off ON outbox');
    return;
  }
  await primary.query(
    `CREATE OR REPLACE FUNCTION bench_outbox_off() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
  );
  await primary.query('DROP TRIGGER IF EXISTS bench_outbox_off ON outbox');
  await primary.query('CREATE TRIGGER bench_outbox_off BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION bench_outbox_off()');
}

export function outboxPriceFigure(concurrency: number, pairs: { withRps: number; withoutRps: number }[]): OutboxPriceFigure {
  const shaped = pairs.map((p) => ({ ...p, ratio: p.withoutRps > 0 ? round(p.withRps / p.withoutRps, 3) : 0 }));
  const ratios = shaped.map((p) => p.ratio).sort((a, b) => a - b);
  const mid = Math.floor(ratios.length / 2);
  const at = (i: number): number => ratios[i] ?? 0;
  const median = ratios.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  return {
    concurrency,
    pairs: shaped,
    ratioMedian: round(median, 3),
    ratioMin: ratios[0] ?? 0,
    ratioMax: ratios.at(-1) ?? 0,
  };
}
