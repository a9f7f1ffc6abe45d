import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

import { type AnyRouteDefinition, ROUTE_DEFINITION } from './route-definition';

/** Every `@Route` definition of the application's controllers, found once the modules are loaded. */
@Injectable()
export class RouteCatalogue {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  definitions(): AnyRouteDefinition[] {
    const found: AnyRouteDefinition[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const definition = this.reflector.get<AnyRouteDefinition | undefined>(
          ROUTE_DEFINITION,
          prototype[name],
        );
        if (definition) found.push(definition);
      }
    }
    return found;
  }
}
