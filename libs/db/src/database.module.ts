import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, DATABASE_OPTIONS, DatabaseOptions } from './data-source';
import { DatabaseService } from './database.service';

@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        { provide: DataSource, useFactory: () => createDataSource(options) },
        DatabaseService,
      ],
      exports: [DataSource, DatabaseService],
    };
  }
}
