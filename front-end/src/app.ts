import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { asyncApiDocument } from '@barback/messaging';
import type { FrontEndConfig } from './config.js';
import ajv from './plugins/external/ajv.js';
import csrf from './plugins/external/csrf.js';
import formbody from './plugins/external/formbody.js';
import helmet from './plugins/external/helmet.js';
import rateLimit from './plugins/external/rate-limit.js';
import session from './plugins/external/session.js';
import swagger from './plugins/external/swagger.js';
import view from './plugins/external/view.js';
import auth from './plugins/app/auth.js';
import errorHandler from './plugins/app/error-handler.js';
import passwords from './plugins/app/passwords.js';
import rpc from './plugins/app/rpc.js';
import changes from './plugins/app/changes.js';
import auditApi from './routes/api/audit/index.js';
import authApi from './routes/api/auth/index.js';
import catalogueApi from './routes/api/catalogue/index.js';
import salesApi from './routes/api/sales/index.js';
import staffApi from './routes/api/staff/index.js';
import tillApi from './routes/api/till/index.js';
import venueApi from './routes/api/venue/index.js';
import eventsApi from './routes/api/events/index.js';
import suppliersApi from './routes/api/suppliers/index.js';
import deliveriesApi from './routes/api/deliveries/index.js';
import wastageApi from './routes/api/wastage/index.js';
import stocktakesApi from './routes/api/stocktakes/index.js';
import shiftsApi from './routes/api/shifts/index.js';
import stockApi from './routes/api/stock/index.js';
import vatApi from './routes/api/vat/index.js';
import deliveriesPages from './routes/pages/deliveries/index.js';
import wastagePages from './routes/pages/wastage/index.js';
import stocktakePages from './routes/pages/stocktakes/index.js';
import shiftPages from './routes/pages/shifts/index.js';
import vatPages from './routes/pages/vat/index.js';
import salesPages from './routes/pages/sales/index.js';
import health from './routes/health/index.js';
import auditPages from './routes/pages/audit/index.js';
import authPages from './routes/pages/auth/index.js';
import cataloguePages from './routes/pages/catalogue/index.js';
import home from './routes/pages/home/index.js';
import passwordPages from './routes/pages/auth/password.js';
import staffPages from './routes/pages/staff/index.js';
import tillPages from './routes/pages/till/index.js';
import venuePages from './routes/pages/venue/index.js';
import dashboardPages from './routes/pages/dashboard/index.js';

// Made once: the event types cannot change while the process runs.
const ASYNCAPI = asyncApiDocument();
const STYLESHEET = readFileSync(new URL('../public/app.css', import.meta.url));
// The till's in-place updates (htmx 2) and its few lines of our own script, read once like the stylesheet.
const HTMX = readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'));
// The dashboard's live updates: htmx's SSE extension, served the same way.
const HTMX_SSE = readFileSync(createRequire(import.meta.url).resolve('htmx-ext-sse/dist/sse.min.js'));
const TILL_SCRIPT = readFileSync(new URL('../public/till.js', import.meta.url));

export interface AppOptions {
  config: FrontEndConfig;
}

/** The whole front end as one plugin; server.ts owns the process around it. */
const app: FastifyPluginAsync<AppOptions> = async (fastify, { config }) => {
  fastify.decorate('config', config);

  // Before any route: every route's schema is compiled by the validator set here.
  await fastify.register(ajv);

  await fastify.register(errorHandler);
  await fastify.register(helmet);
  await fastify.register(formbody);
  await fastify.register(session);
  await fastify.register(csrf);
  await fastify.register(rateLimit);
  await fastify.register(view);
  await fastify.register(swagger);

  await fastify.register(rpc);
  await fastify.register(changes);
  await fastify.register(passwords);
  await fastify.register(auth);

  await fastify.register(health);
  await fastify.register(authApi, { prefix: '/api/v1' });
  await fastify.register(catalogueApi, { prefix: '/api/v1' });
  await fastify.register(tillApi, { prefix: '/api/v1' });
  await fastify.register(salesApi, { prefix: '/api/v1' });
  await fastify.register(staffApi, { prefix: '/api/v1' });
  await fastify.register(auditApi, { prefix: '/api/v1' });
  await fastify.register(venueApi, { prefix: '/api/v1' });
  await fastify.register(eventsApi, { prefix: '/api/v1' });
  await fastify.register(suppliersApi, { prefix: '/api/v1' });
  await fastify.register(deliveriesApi, { prefix: '/api/v1' });
  await fastify.register(wastageApi, { prefix: '/api/v1' });
  await fastify.register(stocktakesApi, { prefix: '/api/v1' });
  await fastify.register(shiftsApi, { prefix: '/api/v1' });
  await fastify.register(stockApi, { prefix: '/api/v1' });
  await fastify.register(vatApi, { prefix: '/api/v1' });
  await fastify.register(authPages);
  await fastify.register(home);
  await fastify.register(passwordPages);
  await fastify.register(tillPages);
  await fastify.register(cataloguePages);
  await fastify.register(staffPages);
  await fastify.register(auditPages);
  await fastify.register(venuePages);
  await fastify.register(dashboardPages);
  await fastify.register(deliveriesPages);
  await fastify.register(wastagePages);
  await fastify.register(stocktakePages);
  await fastify.register(shiftPages);
  await fastify.register(vatPages);
  await fastify.register(salesPages);

  fastify.get('/api/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  fastify.get('/api/asyncapi.json', { schema: { hide: true } }, async () => ASYNCAPI);
  fastify.get('/static/app.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );
  // A week: htmx changes only with a dependency upgrade, and a till should not fetch it again every shift.
  fastify.get('/static/htmx.min.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript').header('cache-control', 'public, max-age=604800').send(HTMX),
  );
  fastify.get('/static/htmx-ext-sse.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript').header('cache-control', 'public, max-age=604800').send(HTMX_SSE),
  );
  fastify.get('/static/till.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript').header('cache-control', 'public, max-age=3600').send(TILL_SCRIPT),
  );
};

export default fp(app, { name: 'barback-front-end' });
