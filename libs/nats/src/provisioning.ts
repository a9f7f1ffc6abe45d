import type { StreamDefinition } from '@optralis/contracts';
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  nanos,
  RetentionPolicy,
  type StreamConfig,
  StorageType,
} from 'nats';

const RETENTION: Record<StreamDefinition['retention'], RetentionPolicy> = {
  limits: RetentionPolicy.Limits,
  workqueue: RetentionPolicy.Workqueue,
  interest: RetentionPolicy.Interest,
};

export function streamConfig(definition: StreamDefinition): Partial<StreamConfig> & { name: string } {
  return {
    name: definition.name,
    description: definition.description,
    subjects: definition.subjects,
    retention: RETENTION[definition.retention],
    storage: definition.storage === 'file' ? StorageType.File : StorageType.Memory,
    max_age: nanos(definition.maxAgeSeconds * 1000),
    duplicate_window: nanos(definition.duplicateWindowSeconds * 1000),
    max_msg_size: definition.maxMessageBytes,
    discard: DiscardPolicy.Old,
    num_replicas: 1,
  };
}

const COMPARED_STREAM_FIELDS = [
  'subjects',
  'retention',
  'max_age',
  'duplicate_window',
  'max_msg_size',
  'description',
] as const;

function isNotFound(error: unknown): boolean {
  return /not found/i.test((error as Error).message ?? '');
}

/** Creates the stream, or updates it when its definition changed; safe to run from every instance. */
export async function ensureStream(
  manager: JetStreamManager,
  definition: StreamDefinition,
): Promise<'created' | 'updated' | 'unchanged'> {
  const wanted = streamConfig(definition);
  for (let attempt = 0; ; attempt++) {
    try {
      const current = (await manager.streams.info(definition.name)).config;
      const changed = COMPARED_STREAM_FIELDS.some(
        (field) => JSON.stringify(current[field] ?? null) !== JSON.stringify(wanted[field] ?? null),
      );
      if (!changed) return 'unchanged';
      await manager.streams.update(definition.name, { ...current, ...wanted });
      return 'updated';
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    try {
      await manager.streams.add(wanted);
      return 'created';
    } catch (error) {
      // Another instance created it between our look-up and our add: look again once.
      if (attempt > 0 || !/already in use/i.test((error as Error).message)) throw error;
    }
  }
}

export interface DurableConsumerDefinition {
  stream: string;
  durable: string;
  filterSubjects: string[];
  maxDeliver: number;
  ackWaitMs: number;
  maxAckPending: number;
  deliverPolicy: 'all' | 'new';
}

export function consumerConfig(definition: DurableConsumerDefinition): Partial<ConsumerConfig> {
  const filters = definition.filterSubjects;
  // Several filter subjects on one consumer need nats-server 2.10; one filter works everywhere.
  return {
    durable_name: definition.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: definition.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    max_deliver: definition.maxDeliver,
    ack_wait: nanos(definition.ackWaitMs),
    max_ack_pending: definition.maxAckPending,
    ...(filters.length === 1
      ? { filter_subject: filters[0] }
      : filters.length > 1
        ? { filter_subjects: filters }
        : {}),
  };
}

/** Creates the durable consumer or updates the settings that may change in place. */
export async function ensureConsumer(
  manager: JetStreamManager,
  definition: DurableConsumerDefinition,
): Promise<void> {
  const wanted = consumerConfig(definition);
  try {
    await manager.consumers.info(definition.stream, definition.durable);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await manager.consumers.add(definition.stream, wanted);
      return;
    } catch (addError) {
      if (!/already (exists|in use)/i.test((addError as Error).message)) throw addError;
    }
  }
  const { deliver_policy: _fixedAtCreation, durable_name: _name, ...updatable } = wanted;
  await manager.consumers.update(definition.stream, definition.durable, updatable);
}
