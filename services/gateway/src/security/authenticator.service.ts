import { Injectable } from '@nestjs/common';
import { API_TOKEN_PATTERN } from '@optralis/contracts';

import { ProblemError } from '../http/problem';
import { AccessTokenVerifier } from './access-token.verifier';
import type { GatewayActor } from './actor';
import { ApiTokenVerifier } from './api-token.verifier';

const BEARER = /^Bearer +([^\s]+) *$/i;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 8192;

/** `Authorization: Bearer <access JWT | API token>` → the verified caller, or a 401 problem. */
@Injectable()
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokenVerifier,
    private readonly apiTokens: ApiTokenVerifier,
  ) {}

  async authenticate(authorization: string | undefined): Promise<GatewayActor> {
    if (!authorization) throw ProblemError.unauthorized('send "Authorization: Bearer <token>"');
    const token = BEARER.exec(authorization)?.[1];
    if (!token || token.length > MAX_TOKEN_LENGTH) {
      throw ProblemError.unauthorized('the Authorization header must be "Bearer <token>"');
    }
    if (API_TOKEN_PATTERN.test(token)) return this.apiTokens.verify(token);
    if (JWT_SHAPE.test(token)) return this.accessTokens.verify(token);
    throw ProblemError.unauthorized(
      'the bearer token is neither an access token nor an API token',
      'token_invalid',
    );
  }
}
