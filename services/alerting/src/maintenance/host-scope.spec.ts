import { coversHost } from './host-scope';

const host = { hostId: 'web-01', tags: ['prod', 'web', 'eu'] };

describe(coversHost.name, () => {
  it('should cover every host of the tenant when the scope is empty', () => {
    expect(coversHost({ hostIds: [], tags: [] }, host)).toBe(true);
  });

  it('should cover only the listed hosts when hostIds is given', () => {
    expect(coversHost({ hostIds: ['web-01', 'web-02'], tags: [] }, host)).toBe(true);
    expect(coversHost({ hostIds: ['db-01'], tags: [] }, host)).toBe(false);
  });

  it('should need every tag when tags are given', () => {
    expect(coversHost({ hostIds: [], tags: ['prod', 'web'] }, host)).toBe(true);
    expect(coversHost({ hostIds: [], tags: ['prod', 'db'] }, host)).toBe(false);
    expect(coversHost({ hostIds: [], tags: ['Prod'] }, host)).toBe(false);
  });

  it('should need both the host id and the tags when both are given', () => {
    expect(coversHost({ hostIds: ['web-01'], tags: ['eu'] }, host)).toBe(true);
    expect(coversHost({ hostIds: ['web-01'], tags: ['us'] }, host)).toBe(false);
    expect(coversHost({ hostIds: ['web-02'], tags: ['eu'] }, host)).toBe(false);
  });
});
