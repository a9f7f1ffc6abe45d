export { normaliseAgentReport } from './agent.format';
export { normaliseInfluxLineProtocol, type InfluxPrecision } from './influx.format';
export type { Dropped, NormaliseContext, NormalisedRequest } from './normalise';
export { normaliseOtlp } from './otlp.format';
export type { OtlpContentType } from './otlp.decoder';
export { normaliseRemoteWrite } from './remote-write.format';
