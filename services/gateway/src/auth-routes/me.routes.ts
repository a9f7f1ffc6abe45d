import { Done } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import {
  MeResponse,
  MfaCodeBody,
  MfaConfirmResponse,
  MfaDisableBody,
  MfaEnrollmentSchema,
  MyPasswordBody,
} from './session.schemas';

export const meRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'getMe',
  summary: 'Who the caller is: the signed-in user, or the API token, with its tenant and role',
  access: 'observer',
  response: MeResponse,
  examples: {
    response: {
      credential: 'api_token',
      tenantId: '7d9e4b1a-2c3f-4e5d-8a6b-9c0d1e2f3a4b',
      role: 'editor',
      token: { id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'ci' },
    },
  },
});

export const enrollMfaRoute = defineRoute({
  method: 'POST',
  path: 'mfa/enroll',
  operationId: 'enrollMfa',
  summary: 'Start TOTP enrolment: a secret and an otpauth:// URI for the authenticator app',
  access: 'observer',
  credential: 'session',
  response: MfaEnrollmentSchema,
  errors: [409],
});

export const confirmMfaRoute = defineRoute({
  method: 'POST',
  path: 'mfa/confirm',
  operationId: 'confirmMfa',
  summary: 'Turn MFA on with a first code; answers the recovery codes, shown this once',
  access: 'observer',
  credential: 'session',
  body: MfaCodeBody,
  response: MfaConfirmResponse,
  errors: [409],
  examples: { body: { code: '123456' } },
});

export const disableMfaRoute = defineRoute({
  method: 'POST',
  path: 'mfa/disable',
  operationId: 'disableMfa',
  summary: 'Turn MFA off with a current code or the password',
  access: 'observer',
  credential: 'session',
  body: MfaDisableBody,
  response: Done,
});

export const changeMyPasswordRoute = defineRoute({
  method: 'POST',
  path: 'password',
  operationId: 'changeMyPassword',
  summary: 'Change the signed-in user’s password; ends all of their sessions',
  access: 'observer',
  credential: 'session',
  body: MyPasswordBody,
  response: Done,
});
