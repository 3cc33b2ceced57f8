/**
 * A venue's business day: from its start hour on one date to the same hour
 * on the next, in the venue's time zone. A pub closes after midnight, so with
 * the default start at 06:00 a sale at 02:00 belongs to the night before, and
 * one at exactly 06:00 to the new day. Across a clock change a day is 23 or
 * 25 hours long, because it runs from wall clock to wall clock.
 */
interface BusinessDay {
  /** The date the day is named by, YYYY-MM-DD. */
  date: string;
  /** Inclusive. */
  startsAt: Date;
  /** Exclusive: the next day's start. */
  endsAt: Date;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
}

// Formatters are costly to make and the same few zones come up again and again.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone, to the second, as if it were UTC (ms). */
function wallMs(at: number, timeZone: string): number {
  const part = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type in part) part[p.type as keyof typeof part] = Number(p.value);
  }
  return Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
}

/** How far the zone's clocks are ahead of UTC at an instant, in ms. */
function offsetAt(at: number, timeZone: string): number {
  return wallMs(at, timeZone) - Math.floor(at / 1000) * 1000;
}

function wallOf(at: number, timeZone: string): Wall {
  const w = new Date(wallMs(at, timeZone));
  return { year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hour: w.getUTCHours() };
}

/**
 * The instant a wall-clock hour names in a zone. When the clocks go back and
 * the hour happens twice, the first; when they go forward over it, the moment
 * they jumped (what the hour would have been by the offset before the jump).
 */
function zonedHour(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, hour);
  const before = naive - offsetAt(naive - DAY_MS, timeZone);
  const after = naive - offsetAt(naive + DAY_MS, timeZone);
  const fits = [before, after].filter((t) => wallMs(t, timeZone) === naive);
  return fits.length ? Math.min(...fits) : before;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The business day `at` falls in, for a venue in `timeZone` whose day starts at `startHour` (0–12). */
export function businessDay(at: Date, timeZone: string, startHour: number): BusinessDay {
  if (!Number.isInteger(startHour) || startHour < 0 || startHour > 12) throw new RangeError(`startHour must be a whole hour from 0 to 12, not ${startHour}`);
  const t = at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('businessDay needs a valid date');
  const wall = wallOf(t, timeZone);
  // Before the start hour, still the day that began yesterday.
  const dateMs = Date.UTC(wall.year, wall.month - 1, wall.day) - (wall.hour < startHour ? DAY_MS : 0);
  const start = (ms: number) => {
    const d = new Date(ms);
    return zonedHour(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), startHour, timeZone);
  };
  return { date: isoDate(dateMs), startsAt: new Date(start(dateMs)), endsAt: new Date(start(dateMs + DAY_MS)) };
}
