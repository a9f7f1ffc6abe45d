import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { ProblemFilter } from './problem.filter';

/** Every HTTP error leaves the gateway as `application/problem+json`. */
@Module({ providers: [{ provide: APP_FILTER, useClass: ProblemFilter }] })
export class GatewayHttpModule {}
