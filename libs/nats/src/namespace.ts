import type { StreamDefinition } from '@optralis/contracts';

/**
 * A namespace prefixes every subject and stream name, so tests (and several installs) can share one
 * NATS server without seeing each other's messages. The empty namespace is production's.
 */
export class NatsNamespace {
  constructor(readonly prefix = '') {
    if (prefix && !/^[a-z][a-z0-9]{0,31}$/.test(prefix)) {
      throw new Error(
        `NATS namespace "${prefix}" must be lowercase letters and digits, starting with a letter`,
      );
    }
  }

  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  /** Removes the prefix from a received subject so handlers see the contract's subject. */
  strip(subject: string): string {
    return this.prefix && subject.startsWith(`${this.prefix}.`)
      ? subject.slice(this.prefix.length + 1)
      : subject;
  }

  streamName(name: string): string {
    return this.prefix ? `${this.prefix.toUpperCase()}_${name}` : name;
  }

  stream(definition: StreamDefinition): StreamDefinition {
    return {
      ...definition,
      name: this.streamName(definition.name),
      subjects: definition.subjects.map((subject) => this.subject(subject)),
    };
  }
}
