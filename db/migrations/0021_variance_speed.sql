-- Up Migration

-- The variance report's reads (issue 17, back-end/src/queries/variance.ts)
-- from the indexes alone. For a venue of 300 products and 20,000 sales in a
-- week (60,000 sale lines, 60,620 ledger rows), measured on the standby of
-- the bench's stack (2 shared cores, load average about 5):
--   * the period's sales were a hash join of the tabs closed in the period
--     with every sale line of every venue (a sequential scan: the lines have
--     no index by venue and time, and cannot have a sound one, as a line
--     moved to another tab keeps the instant it was rung in): about 50 ms,
--     and growing with the whole table. Now the tabs come from an
--     index-only range (tabs_closed_idx, INCLUDE id) and each one's lines
--     from an index-only probe (tab_lines_tab_idx, INCLUDE what the report
--     sums): about 30 ms, growing with the period's sales only;
--   * the period's ledger rows were a bitmap scan of stock_ledger_venue_at
--     and its heap: about 25 ms. Now an index-only range: about 14 ms.
-- Both indexes are the ones they replace with columns added, same keys and
-- names, so no other query's plan loses its index and no write maintains
-- one index more. The cost: a tab's close and a void update columns now in
-- tab_lines_tab_idx, so those updates are no longer HOT (a few lines a tab,
-- off the quick sale's path, whose lines are inserted with their amounts).
-- The ledger is append-only and a closed tab's row is rewritten anyway, so
-- the other two cost only their wider entries.
DROP INDEX stock_ledger_venue_at;
CREATE INDEX stock_ledger_venue_at ON stock_ledger (venue_id, at) INCLUDE (product_id, cause, units);

DROP INDEX tabs_closed_idx;
CREATE INDEX tabs_closed_idx ON tabs (venue_id, closed_at) INCLUDE (id) WHERE status = 'closed';

DROP INDEX tab_lines_tab_idx;
CREATE INDEX tab_lines_tab_idx ON tab_lines (tab_id, added_at) INCLUDE (product_id, net_cents, voided_at);

-- Down Migration
DROP INDEX tab_lines_tab_idx;
CREATE INDEX tab_lines_tab_idx ON tab_lines (tab_id, added_at);
DROP INDEX tabs_closed_idx;
CREATE INDEX tabs_closed_idx ON tabs (venue_id, closed_at) WHERE status = 'closed';
DROP INDEX stock_ledger_venue_at;
CREATE INDEX stock_ledger_venue_at ON stock_ledger (venue_id, at);
