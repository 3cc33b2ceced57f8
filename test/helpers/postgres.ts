import pg from 'pg';
import { loadServices } from './services.js';

/** Asks each node, rather than trusting a role recorded at start-up: a failover may have moved it. */
export async function primaryUrl(): Promise<string> {
  for (const node of loadServices().postgres) {
    const client = new pg.Client({ connectionString: node.url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      const { rows } = await client.query('SELECT pg_is_in_recovery() AS r');
      if (!rows[0].r) return node.url;
    } catch {
      /* node down: try the next */
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error('no primary found');
}
