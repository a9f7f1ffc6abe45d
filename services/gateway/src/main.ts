import 'reflect-metadata';

import { loadConfigOrExit } from '@optralis/config';
import { packageVersion } from '@optralis/service-kit';

import { GatewayEnv } from './config';
import { startGateway } from './gateway-application';

const config = loadConfigOrExit(GatewayEnv);
void startGateway(config, packageVersion(__dirname));
