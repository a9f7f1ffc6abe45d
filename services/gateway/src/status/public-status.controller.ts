import { Controller, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ProblemError } from '../http/problem';
import { type ParamsOf, type ResponseOf, Route } from '../openapi/route-definition';
import { RouteParams } from '../openapi/route-input.decorators';
import { PublicStatusService, STATUS_CACHE_MILLISECONDS } from './public-status.service';
import { renderNotFoundPage, renderStatusPage } from './status-page.renderer';
import { StatusPageRateLimitGuard } from './status-page.rate-limit.guard';
import { HTML_TYPE, statusPageHtmlRoute, statusPageJsonRoute } from './status-page.routes';

type SlugParams = ParamsOf<typeof statusPageHtmlRoute>;

/** Browsers and proxies may keep an answer as long as the gateway does. */
const PUBLIC_CACHE = `public, max-age=${STATUS_CACHE_MILLISECONDS / 1000}`;

function notFound(): ProblemError {
  return ProblemError.notFound('no public status page has this address');
}

/** `/status/{tenantSlug}` (HTML) and `/status/{tenantSlug}.json`: a tenant's public page, no login. */
@ApiTags('Status page')
@Controller('status')
@UseGuards(StatusPageRateLimitGuard)
export class PublicStatusController {
  constructor(private readonly status: PublicStatusService) {}

  @Route(statusPageJsonRoute)
  async json(
    @RouteParams() { tenantSlug }: SlugParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResponseOf<typeof statusPageJsonRoute>> {
    const page = await this.status.page(tenantSlug);
    if (!page) throw notFound();
    reply.header('Cache-Control', PUBLIC_CACHE).header('Access-Control-Allow-Origin', '*');
    return page;
  }

  @Route(statusPageHtmlRoute)
  async html(
    @RouteParams() { tenantSlug }: SlugParams,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const page = await this.status.page(tenantSlug);
    if (page) {
      reply.type(HTML_TYPE).header('Cache-Control', PUBLIC_CACHE);
      return renderStatusPage(page, { json: `${tenantSlug}.json` });
    }
    if (!(request.headers.accept ?? '').includes('text/html')) throw notFound();
    reply.code(404).type(HTML_TYPE);
    return renderNotFoundPage();
  }
}
