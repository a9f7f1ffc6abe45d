import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL, uniqueId } from './environment';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the server of TEST_DATABASE_URL, so tests never share tables. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `optralis_test_${uniqueId()}`;
  await onMaintenanceDatabase(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: databaseUrl(name),
    drop: () => onMaintenanceDatabase(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onMaintenanceDatabase(sql: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl('postgres'), poolSize: 1 });
  await dataSource.initialize();
  try {
    await dataSource.query(sql);
  } finally {
    await dataSource.destroy();
  }
}
