-- Up Migration

-- A shift a write opens (shift_for_write, 0019) goes on the change stream
-- as shift.started (issue 19, docs/changes.md), or a consumer would see its
-- shift.closed with no start. The event is the worker's to write, like every
-- other (ids, schema check, the action's declared events), so the function
-- only says which shift it opened: in a transaction-local setting the worker
-- reads after the handler (back-end/src/outbox/auto-shift.ts). Local, so it
-- goes with the transaction (or a rolled-back savepoint) and never leaks to
-- the pooled connection's next one. Two writes opening at once: only the
-- one whose insert made the shift sets it, so one event.
CREATE OR REPLACE FUNCTION shift_for_write(p_venue_id uuid, p_staff_id uuid) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
BEGIN
  LOOP
    SELECT id INTO v_id FROM shifts WHERE venue_id = p_venue_id AND closed_at IS NULL FOR SHARE;
    IF FOUND THEN
      RETURN v_id;
    END IF;
    INSERT INTO shifts (venue_id, opened_by, float_cents, auto_opened)
    VALUES (p_venue_id, p_staff_id, 0, true)
    ON CONFLICT (venue_id) WHERE closed_at IS NULL DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      INSERT INTO audit_log (venue_id, staff_id, action, entity_type, entity_id, reason, details)
      VALUES (p_venue_id, p_staff_id, 'shift.autoStart', 'shift', v_id, 'Rung with no shift open',
              jsonb_build_object('floatCents', 0));
      PERFORM set_config('barback.auto_shift', v_id::text, true);
      RETURN v_id;
    END IF;
  END LOOP;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION shift_for_write(p_venue_id uuid, p_staff_id uuid) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid;
BEGIN
  LOOP
    SELECT id INTO v_id FROM shifts WHERE venue_id = p_venue_id AND closed_at IS NULL FOR SHARE;
    IF FOUND THEN
      RETURN v_id;
    END IF;
    INSERT INTO shifts (venue_id, opened_by, float_cents, auto_opened)
    VALUES (p_venue_id, p_staff_id, 0, true)
    ON CONFLICT (venue_id) WHERE closed_at IS NULL DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
      INSERT INTO audit_log (venue_id, staff_id, action, entity_type, entity_id, reason, details)
      VALUES (p_venue_id, p_staff_id, 'shift.autoStart', 'shift', v_id, 'Rung with no shift open',
              jsonb_build_object('floatCents', 0));
      RETURN v_id;
    END IF;
  END LOOP;
END $$;
