import type { AuthConfig } from '../config';

/** The parsed environment, injected where a capability needs a setting (STYLE.md habit 4). */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
export type { AuthConfig };
