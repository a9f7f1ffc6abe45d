import * as agent from './agent';
import * as contracts from './index';

describe('@optralis/contracts/agent', () => {
  it('should give the agent the same schemas as the full index, and the ingest token pattern of auth', () => {
    expect(agent.AgentReport).toBe(contracts.AgentReport);
    expect(agent.Sample).toBe(contracts.Sample);
    expect(agent.HostIdSchema).toBe(contracts.HostIdSchema);
    expect(agent.INGEST_TOKEN_PATTERN.source).toBe(contracts.INGEST_TOKEN_PATTERN.source);
  });
});
