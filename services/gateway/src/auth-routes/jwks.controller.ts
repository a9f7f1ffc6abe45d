import { Controller, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PublicJwk } from '@optralis/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

import { component } from '../openapi/schema-components';
import { defineRoute, type ResponseOf, Route } from '../openapi/route-definition';
import { AccessTokenVerifier } from '../security/access-token.verifier';

export const jwksRoute = defineRoute({
  method: 'GET',
  path: 'jwks.json',
  operationId: 'getJwks',
  summary: 'The public keys access tokens are signed with (ES256), for verifying them elsewhere',
  access: 'public',
  response: component('Jwks', z.object({ keys: z.array(PublicJwk) })),
});

@ApiTags('Authentication')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly accessTokens: AccessTokenVerifier) {}

  @Route(jwksRoute)
  async jwks(@Res({ passthrough: true }) reply: FastifyReply): Promise<ResponseOf<typeof jwksRoute>> {
    reply.header('Cache-Control', 'public, max-age=300');
    return { keys: await this.accessTokens.publicKeys() };
  }
}
