import { Errors, PAGE_LIMIT_DEFAULT, withField, type RequestOf } from '@barback/messaging';
import { businessDay } from '../../domain/business-day.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { salesClosedBetween } from '../../queries/till.js';
import { venueDayRule } from '../../queries/venue.js';
import type { Queryable } from '../types.js';
import { defineHandler } from '../types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Period {
  from: Date;
  to: Date;
  fromDay: string | null;
  toDay: string | null;
}

/**
 * The business day named by a date (YYYY-MM-DD). Noon UTC on that date is
 * inside it for a zone near Dublin's; for a zone far from it, step a day at
 * a time until the name matches (at most once either way).
 */
function businessDayNamed(date: string, timeZone: string, startHour: number) {
  let day = businessDay(new Date(`${date}T12:00:00Z`), timeZone, startHour);
  for (let i = 0; i < 3 && day.date !== date; i++) {
    day = businessDay(day.date < date ? day.endsAt : new Date(day.startsAt.getTime() - 1), timeZone, startHour);
  }
  return day;
}

/** What the request asks for, as instants; business days by the venue's own rule, read only when asked by days. */
async function periodOf(db: Queryable, venueId: string, input: RequestOf<'sales.listSales'>): Promise<Period> {
  const byInstant = input.from !== undefined || input.to !== undefined;
  const first = input.fromDay ?? input.toDay;
  if (input.currentDay) {
    if (byInstant || first !== undefined) throw withField(new Errors.validation('currentDay is the whole day under way: leave out from, to, fromDay and toDay.'), 'currentDay');
    const rule = await venueDayRule(db, venueId);
    const day = businessDay(new Date(), rule.timeZone, rule.startHour);
    return { from: day.startsAt, to: day.endsAt, fromDay: day.date, toDay: day.date };
  }
  if (first !== undefined) {
    const field = input.fromDay !== undefined ? 'fromDay' : 'toDay';
    if (byInstant) throw withField(new Errors.validation('Give business days (fromDay, toDay) or instants (from, to), not both.'), field);
    const last = input.toDay ?? first;
    if (last < first) throw withField(new Errors.validation('toDay must not be before fromDay.'), 'toDay');
    const rule = await venueDayRule(db, venueId);
    return {
      from: businessDayNamed(first, rule.timeZone, rule.startHour).startsAt,
      to: businessDayNamed(last, rule.timeZone, rule.startHour).endsAt,
      fromDay: first,
      toDay: last,
    };
  }
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - DAY_MS);
  return { from, to, fromDay: null, toDay: null };
}

/**
 * Sales closed in [from, to), newest first, a page at a time; without from
 * and to, the last 24 hours; or by the venue's business days (fromDay,
 * toDay, currentDay). The cursor is checked here, before
 * any SQL: a malformed one is a 400 naming the field.
 */
export default defineHandler({
  action: 'sales.listSales',
  async handle(db, input, ctx) {
    const after = input.cursor === undefined ? null : decodeCursor('sales', input.cursor);
    const period = await periodOf(db, ctx.actor.venueId, input);
    const limit = input.limit ?? PAGE_LIMIT_DEFAULT;
    const page = await salesClosedBetween(db, ctx.actor.venueId, { from: period.from, to: period.to, after, limit });
    return {
      items: page.items,
      nextCursor: page.nextKey && encodeCursor('sales', page.nextKey),
      period: { from: period.from.toISOString(), to: period.to.toISOString(), fromDay: period.fromDay, toDay: period.toDay },
    };
  },
});
