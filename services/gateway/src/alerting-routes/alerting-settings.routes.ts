import { AlertingSettings, rpcMethods } from '@optralis/contracts';

import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';

const Settings = component('AlertingSettings', AlertingSettings);

export const getAlertingSettingsRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'getAlertingSettings',
  summary: 'The tenant’s SMTP server (never its password), anomaly defaults and flapping detection',
  access: 'observer',
  response: Settings,
});

export const updateAlertingSettingsRoute = defineRoute({
  method: 'PUT',
  path: '',
  operationId: 'updateAlertingSettings',
  summary: 'Set the tenant’s alerting settings; sections left out stay as they are',
  description:
    '`smtp: null` removes the tenant’s SMTP server; an absent `smtp.password` keeps the stored one, `""` removes it.',
  access: 'admin',
  body: component(
    'UpdateAlertingSettingsRequest',
    rpcMethods['rpc.alerting.settings.update'].request.omit({ actor: true }),
  ),
  response: Settings,
  examples: {
    body: {
      smtp: {
        host: 'smtp.example.com',
        port: 587,
        username: 'alerts',
        password: 'app-password',
        from: 'alerts@example.com',
      },
      anomaly: { zWarning: 2, zCritical: 3, alpha: 0.3, warmupSamples: 30 },
    },
  },
});
