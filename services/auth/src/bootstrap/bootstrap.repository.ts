import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { withAdvisoryLock } from '../shared/advisory-lock';

@Injectable()
export class BootstrapRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Two instances starting at once take turns, so the second finds what the first created. */
  withBootstrapLock<T>(work: () => Promise<T>): Promise<T> {
    return withAdvisoryLock(this.dataSource, 'bootstrap', work);
  }
}
