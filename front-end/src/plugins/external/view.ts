import { fileURLToPath } from 'node:url';
import view from '@fastify/view';
import { Eta } from 'eta';
import fp from 'fastify-plugin';

export const VIEWS_DIR = fileURLToPath(new URL('../../../views', import.meta.url));

export default fp(async (fastify) => {
  // autoEscape is eta's default; stated here because every page depends on it.
  const eta = new Eta({ views: VIEWS_DIR, cache: true, autoEscape: true });
  await fastify.register(view, { engine: { eta }, root: VIEWS_DIR, viewExt: 'eta' });
}, { name: 'view' });
