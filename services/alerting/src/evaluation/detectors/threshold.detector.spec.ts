import { evaluateThreshold, type ThresholdLevels } from './threshold.detector';

const above: ThresholdLevels = { operator: '>', warning: 80, critical: 90, clear: null };
const below: ThresholdLevels = { operator: '<', warning: 20, critical: 10, clear: null };

describe(evaluateThreshold.name, () => {
  it('should be critical, warning or ok when the value is above, between or under the levels for ">"', () => {
    expect(evaluateThreshold(above, 95, 'ok')).toEqual({ condition: 'critical', level: 90 });
    expect(evaluateThreshold(above, 85, 'ok')).toEqual({ condition: 'warning', level: 80 });
    expect(evaluateThreshold(above, 80, 'ok')).toEqual({ condition: 'ok', level: null });
  });

  it('should count the level itself when the operator is ">="', () => {
    const levels: ThresholdLevels = { ...above, operator: '>=' };
    expect(evaluateThreshold(levels, 90, 'ok')).toEqual({ condition: 'critical', level: 90 });
    expect(evaluateThreshold(levels, 80, 'ok')).toEqual({ condition: 'warning', level: 80 });
    expect(evaluateThreshold(levels, 79.9, 'ok')).toEqual({ condition: 'ok', level: null });
  });

  it('should alert on low values when the operator is "<"', () => {
    expect(evaluateThreshold(below, 5, 'ok')).toEqual({ condition: 'critical', level: 10 });
    expect(evaluateThreshold(below, 15, 'ok')).toEqual({ condition: 'warning', level: 20 });
    expect(evaluateThreshold(below, 20, 'ok')).toEqual({ condition: 'ok', level: null });
  });

  it('should count the level itself when the operator is "<="', () => {
    const levels: ThresholdLevels = { ...below, operator: '<=' };
    expect(evaluateThreshold(levels, 10, 'ok')).toEqual({ condition: 'critical', level: 10 });
    expect(evaluateThreshold(levels, 20, 'ok')).toEqual({ condition: 'warning', level: 20 });
    expect(evaluateThreshold(levels, 20.1, 'ok')).toEqual({ condition: 'ok', level: null });
  });

  it('should only warn when the rule has no critical level', () => {
    const levels: ThresholdLevels = { ...above, critical: null };
    expect(evaluateThreshold(levels, 1e9, 'ok')).toEqual({ condition: 'warning', level: 80 });
  });

  it('should go straight to critical when the rule has no warning level', () => {
    const levels: ThresholdLevels = { ...above, warning: null };
    expect(evaluateThreshold(levels, 85, 'ok')).toEqual({ condition: 'ok', level: null });
    expect(evaluateThreshold(levels, 95, 'ok')).toEqual({ condition: 'critical', level: 90 });
  });

  it('should downgrade to warning when a critical alert falls under critical but still breaches warning', () => {
    expect(evaluateThreshold(above, 85, 'critical')).toEqual({ condition: 'warning', level: 80 });
  });

  it('should hold the alert on the clear level when the value has not crossed back past it', () => {
    const levels: ThresholdLevels = { ...above, clear: 70 };
    expect(evaluateThreshold(levels, 75, 'warning')).toEqual({ condition: 'warning', level: 70 });
    expect(evaluateThreshold(levels, 75, 'critical')).toEqual({ condition: 'warning', level: 70 });
  });

  it('should keep the current severity when held and the rule has no warning level', () => {
    const levels: ThresholdLevels = { ...above, warning: null, clear: 70 };
    expect(evaluateThreshold(levels, 75, 'critical')).toEqual({ condition: 'critical', level: 70 });
  });

  it('should release the alert when the value crosses back past the clear level', () => {
    const levels: ThresholdLevels = { ...above, clear: 70 };
    expect(evaluateThreshold(levels, 70, 'warning')).toEqual({ condition: 'ok', level: null });
    expect(evaluateThreshold({ ...levels, operator: '>=' }, 69.9, 'critical')).toEqual({
      condition: 'ok',
      level: null,
    });
  });

  it('should hold on the clear level for "<" when the value is still under it', () => {
    const levels: ThresholdLevels = { ...below, clear: 30 };
    expect(evaluateThreshold(levels, 25, 'critical')).toEqual({ condition: 'warning', level: 30 });
    expect(evaluateThreshold(levels, 30, 'critical')).toEqual({ condition: 'ok', level: null });
  });

  it('should not fire on the clear level when no alert is open', () => {
    const levels: ThresholdLevels = { ...above, clear: 70 };
    expect(evaluateThreshold(levels, 75, 'ok')).toEqual({ condition: 'ok', level: null });
  });

  it('should keep the open alert when the value is NaN', () => {
    expect(evaluateThreshold(above, Number.NaN, 'critical')).toEqual({ condition: 'critical', level: 90 });
    expect(evaluateThreshold(above, Number.NaN, 'ok')).toEqual({ condition: 'ok', level: null });
  });
});
