import { projectConfig } from '../../vitest.shared.mts';

export default projectConfig('service-kit');
