import { rpcMethods, StatusPageView } from '@optralis/contracts';
import { z } from 'zod';

import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';
import { PublicStatusPage } from './public-status.schema';

export const HTML_TYPE = 'text/html; charset=utf-8';

const SlugParams = z.strictObject({
  tenantSlug: z.string().min(1).max(100).describe('the tenant’s slug, e.g. acme'),
});

const PUBLIC_DESCRIPTION =
  'No login: shows only what the tenant made public — its groups of hosts (up/down, 90-day uptime) and, ' +
  'unless hidden, open incidents by rule name, severity, start and group. Assembled at most every 20 s ' +
  'per tenant; limited per client IP. Unknown slugs and disabled pages both answer 404.';

export const statusPageHtmlRoute = defineRoute({
  method: 'GET',
  path: ':tenantSlug',
  operationId: 'getPublicStatusPage',
  summary: 'A tenant’s public status page as HTML',
  description: `${PUBLIC_DESCRIPTION} Browsers get an HTML 404 page, other clients problem+json.`,
  access: 'public',
  params: SlugParams,
  response: z.string(),
  produces: 'text/html',
  errors: [404, 429],
});

export const statusPageJsonRoute = defineRoute({
  method: 'GET',
  path: ':tenantSlug.json',
  operationId: 'getPublicStatusPageJson',
  summary: 'A tenant’s public status page as JSON',
  description: `${PUBLIC_DESCRIPTION} Any origin may read it (CORS).`,
  access: 'public',
  params: SlugParams,
  response: PublicStatusPage,
  errors: [404, 429],
});

const StatusPageSettingsView = component(
  'StatusPageSettings',
  StatusPageView.extend({ url: z.string().describe('where the page is served once enabled') }),
);

export const getStatusPageSettingsRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'getStatusPageSettings',
  summary: 'The tenant’s public status page settings',
  access: 'admin',
  response: StatusPageSettingsView,
});

export const updateStatusPageSettingsRoute = defineRoute({
  method: 'PUT',
  path: '',
  operationId: 'updateStatusPageSettings',
  summary: 'Replace the tenant’s public status page settings',
  description:
    'Absent fields take their defaults (disabled, the tenant’s name as title, no groups, incidents shown). ' +
    'Each group is the hosts carrying its tag; the tag is never shown publicly, the name is. At most 20 groups.',
  access: 'admin',
  body: component(
    'UpdateStatusPageSettingsRequest',
    rpcMethods['rpc.auth.statusPage.update'].request.omit({ actor: true }),
  ),
  response: StatusPageSettingsView,
  examples: {
    body: {
      enabled: true,
      title: 'Acme status',
      groups: [
        { name: 'Website', tag: 'web' },
        { name: 'Payments API', tag: 'payments' },
      ],
      showIncidents: true,
    },
  },
});
