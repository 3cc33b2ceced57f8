/**
 * `npm run changes`, the reference reader of the change stream, run as a
 * process against the real broker: it prints a venue's events as JSON lines
 * read from the stream itself, starts after a cursor when given one, and
 * refuses what it cannot read with exit code 2.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '../../../scripts/stack/paths.js';
import { waitForPublished } from '../../helpers/events.js';
import { loadServices } from '../../helpers/services.js';
import { stoutBar, type StoutBar } from '../../helpers/venue.js';

let bar: StoutBar;
const children: ChildProcess[] = [];

beforeAll(async () => {
  bar = await stoutBar('changes-cli');
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await bar.rig.close();
});

const sell = () =>
  bar.bartender.call('sales.recordSale', { lines: [{ servingId: bar.pintId, quantity: 1 }], payments: [{ method: 'cash', amountCents: 560 }] });

function run(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/changes/cli.ts', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', AMQP_URLS: loadServices().amqpUrls.join(','), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

interface Line {
  offset: number;
  position: string;
  id: string;
  type: string;
  venueId: string;
  aggregateId: string;
}

/** The JSON lines the reader prints, until `enough` says so (or 30 s pass). */
async function linesUntil(child: ChildProcess, enough: (lines: Line[]) => boolean): Promise<Line[]> {
  const lines: Line[] = [];
  const reader = createInterface({ input: child.stdout! });
  return new Promise<Line[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${lines.length} lines after 30 s: ${JSON.stringify(lines)}`)), 30_000);
    reader.on('line', (text) => {
      lines.push(JSON.parse(text) as Line);
      if (enough(lines)) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        resolve(lines);
      }
    });
  });
}

describe('npm run changes', () => {
  it('prints the venue’s sale.recorded events from the stream, one JSON line each, with offset and position', async () => {
    const first = await sell();
    const second = await sell();
    await waitForPublished(await bar.rig.primary(), bar.venue.venueId);
    const child = run(['--from', 'first', '--venue', bar.venue.venueId, '--type', 'sale.recorded']);
    const lines = await linesUntil(child, (l) => l.some((x) => x.aggregateId === second.id));
    expect(lines.map((l) => l.aggregateId)).toEqual([first.id, second.id]);
    for (const l of lines) {
      expect(l).toMatchObject({ type: 'sale.recorded', venueId: bar.venue.venueId });
      expect(l.offset).toEqual(expect.any(Number));
      expect(l.position).toMatch(/^[1-9]\d*$/);
    }
  });

  it('starts right after an event’s cursor from listEvents', async () => {
    const history = await bar.venue.manager.call('events.listEvents', { type: ['sale.recorded'] });
    const firstSale = history.items[0]!;
    const child = run(['--from', firstSale.cursor, '--venue', bar.venue.venueId, '--type', 'sale.recorded']);
    const lines = await linesUntil(child, (l) => l.length >= 1);
    expect(lines[0]!.aggregateId).toBe(history.items[1]!.aggregateId);
    expect(lines[0]!.aggregateId).not.toBe(firstSale.aggregateId);
  });

  it('refuses an unknown event type or start with exit code 2 and a usage line', async () => {
    for (const args of [['--type', 'sale.eaten'], ['--from', 'yesterday-ish']]) {
      const child = run(args);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(2);
      expect(stderr).toMatch(/usage: npm run changes/);
    }
  });
});
