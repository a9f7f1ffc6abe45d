export interface SensorReading {
  chip: string;
  sensor: string;
  celsius: number;
}

/** Temperatures in the output of `sensors -j`: `{ chip: { Adapter, feature: { tempN_input: °C, … } } }`. */
export function parseSensorsJson(text: string): SensorReading[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const readings: SensorReading[] = [];
  for (const [chip, features] of entries(parsed)) {
    for (const [sensor, values] of entries(features)) {
      for (const [key, value] of entries(values)) {
        if (/^temp\d+_input$/.test(key) && typeof value === 'number')
          readings.push({ chip, sensor, celsius: value });
      }
    }
  }
  return readings;
}

function entries(value: unknown): [string, unknown][] {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
}
