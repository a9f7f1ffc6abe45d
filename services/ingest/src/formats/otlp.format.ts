import { badRequest } from '../intake/intake.errors';
import { HostIdentities, type HostIdentity } from './host-identity';
import { MetricNames } from './metric-name';
import { noneDropped, type NormaliseContext, type NormalisedRequest } from './normalise';
import { attributeText, attributeValue } from './otlp.attributes';
import {
  decodeOtlp,
  type OtlpContentType,
  type OtlpKeyValue,
  type OtlpResourceMetrics,
} from './otlp.decoder';
import { OtlpPoints, type PointTarget } from './otlp.points';
import { ReportBatch } from './report-batch';
import { TimeBounds } from './time-bounds';

const HOST_ID = 'host.id';
const HOST_NAME = 'host.name';
const SERVICE_NAME = 'service.name';
/** Resource attributes that describe the machine, the same for every process on it: they go to inventory. */
const INVENTORY_PREFIXES = ['host.', 'os.', 'cloud.'];
const INVENTORY_KEY_LENGTH = 128;

interface ResourceFacts {
  host: string | undefined;
  service: string | undefined;
  inventory: [string, unknown][];
}

/** `POST /v1/metrics`: OTLP/HTTP metrics in protobuf or JSON. */
export function normaliseOtlp(
  body: Buffer,
  contentType: OtlpContentType,
  context: NormaliseContext,
): NormalisedRequest {
  const resources = decodeOtlp(body, contentType);
  const batch = new ReportBatch('otlp', context);
  const names = new MetricNames();
  const hosts = new HostIdentities();
  const dropped = noneDropped();
  const points = new OtlpPoints(new TimeBounds(context), batch, names, dropped);

  for (let position = 0; position < resources.length; position++) {
    const resource = resources[position];
    const path = `resourceMetrics.${position}`;
    if (!hasMetrics(resource)) continue;
    const facts = resourceFacts(resource.resource?.attributes ?? []);
    if (facts.host === undefined) {
      throw badRequest(
        `${path}.resource: missing attribute "${HOST_ID}" or "${HOST_NAME}", which names the host`,
        {
          field: `${path}.resource`,
        },
      );
    }
    const target: PointTarget = { host: hosts.of(facts.host), service: facts.service, times: new Set() };
    resource.scopeMetrics.forEach((scope, scopeIndex) => {
      scope.metrics.forEach((metric, metricIndex) => {
        points.metric(metric, target, `${path}.scopeMetrics.${scopeIndex}.metrics.${metricIndex}`);
      });
    });
    addInventory(batch, target.host, target.times, facts.inventory);
  }
  return { reports: batch.reports(), dropped };
}

function hasMetrics(resource: OtlpResourceMetrics): boolean {
  return resource.scopeMetrics.some((scope) => scope.metrics.length > 0);
}

function resourceFacts(attributes: OtlpKeyValue[]): ResourceFacts {
  let id: string | undefined;
  let name: string | undefined;
  let service: string | undefined;
  const inventory: [string, unknown][] = [];
  for (const attribute of attributes) {
    const key = attribute.key;
    if (key === HOST_ID) id = attributeText(attribute.value) || undefined;
    else if (key === HOST_NAME) name = attributeText(attribute.value) || undefined;
    else if (key === SERVICE_NAME) service = attributeText(attribute.value) || undefined;
    else if (
      key.length <= INVENTORY_KEY_LENGTH &&
      INVENTORY_PREFIXES.some((prefix) => key.startsWith(prefix))
    ) {
      inventory.push([key, attributeValue(attribute.value)]);
    }
  }
  return { host: id ?? name, service, inventory };
}

function addInventory(
  batch: ReportBatch,
  host: HostIdentity,
  times: Set<number>,
  inventory: [string, unknown][],
) {
  if (inventory.length === 0) return;
  for (const time of times) {
    for (const [key, value] of inventory) batch.addInventory(host, time, key, value);
  }
}
