-- Up Migration

-- The rows every sale adds (its tab, lines and payment) get ids ordered by
-- time: UUID version 7 (RFC 9562), a millisecond timestamp ahead of random
-- bits. With random (version 4) ids each insert landed on a random leaf of
-- every primary key and tab_id index, so once those indexes outgrew the
-- buffer cache a sale's cost grew with the number of sales before it: page
-- misses, and a full-page image in the WAL for nearly every page it touched
-- after each checkpoint. Time-ordered ids put each insert beside the last.
-- The workers make the ids of a quick sale themselves (uuid's v7, in
-- back-end/src/domain/ids.ts); this is the same for rows given their id by
-- the database. `at` lets rows written for another moment (imports, the
-- benchmark's history) sort where they belong.
CREATE FUNCTION uuid_v7(at timestamptz DEFAULT clock_timestamp()) RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  -- A version 4 uuid's first 48 bits replaced by the Unix time in ms, and its
  -- version nibble turned from 0100 to 0111 (bits 52 and 53: byte 6, counted
  -- from each byte's least significant bit).
  SELECT encode(
           set_bit(set_bit(
             overlay(uuid_send(gen_random_uuid())
                     PLACING substring(int8send(floor(extract(epoch FROM at) * 1000)::bigint) FROM 3)
                     FROM 1 FOR 6),
             52, 1), 53, 1),
           'hex')::uuid
$$;

ALTER TABLE tabs ALTER COLUMN id SET DEFAULT uuid_v7();
ALTER TABLE tab_lines ALTER COLUMN id SET DEFAULT uuid_v7();
ALTER TABLE payments ALTER COLUMN id SET DEFAULT uuid_v7();
ALTER TABLE refunds ALTER COLUMN id SET DEFAULT uuid_v7();

-- Down Migration
ALTER TABLE refunds ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER TABLE payments ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER TABLE tab_lines ALTER COLUMN id SET DEFAULT gen_random_uuid();
ALTER TABLE tabs ALTER COLUMN id SET DEFAULT gen_random_uuid();
DROP FUNCTION uuid_v7(timestamptz);
