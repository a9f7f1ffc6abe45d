import { Global, Module } from '@nestjs/common';

import { AlertingAuditTrail } from './audit-trail';
import { ConfigChanges } from './config-changes';
import { SecretBox } from './secret-box';

@Global()
@Module({
  providers: [AlertingAuditTrail, SecretBox, ConfigChanges],
  exports: [AlertingAuditTrail, SecretBox, ConfigChanges],
})
export class AlertingSharedModule {}
