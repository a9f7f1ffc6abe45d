import { Done } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { REFRESH_COOKIE_HEADER } from './refresh-cookie';
import {
  AcceptInvitationBody,
  AcceptInvitationResponse,
  ChangePasswordBody,
  LoginBody,
  LoginResponse,
  MfaConfirmResponse,
  MfaEnrollmentSchema,
  MfaTokenConfirmBody,
  MfaTokenEnrollBody,
  MfaVerifyBody,
  RefreshBody,
  SwitchTenantBody,
  TokenPairSchema,
} from './session.schemas';

const examplePair = {
  accessToken: 'eyJhbGciOiJFUzI1NiIsImtpZCI6Ims3In0.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
  refreshToken: 'Q2hhbmdlLW1lLWxhdGVyLXBsZWFzZQ',
  tokenType: 'Bearer' as const,
  expiresIn: 900,
  sessionId: '0f7c2a4e-5d1b-4c8e-9a3f-2b6d8e1f4a70',
  tenant: { id: '7d9e4b1a-2c3f-4e5d-8a6b-9c0d1e2f3a4b', slug: 'default', name: 'Default' },
  user: { id: '3b2a1c0d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', email: 'admin@example.com', role: 'owner' as const },
};

export const loginRoute = defineRoute({
  method: 'POST',
  path: 'login',
  operationId: 'login',
  summary: 'Sign in with email and password',
  description:
    'Answers a session (and sets the refresh cookie), or the next step: `mfaRequired`, `mfaEnrollmentRequired` or `passwordExpired`. A user of several tenants without `tenantId` gets 409 `tenant_selection_required` listing them.',
  access: 'public',
  rateLimit: 'sign-in',
  body: LoginBody,
  response: LoginResponse,
  responseHeaders: REFRESH_COOKIE_HEADER,
  errors: [401, 409],
  examples: {
    body: { email: 'admin@example.com', password: 'Quiet-Harbour-Lantern-42' },
    response: examplePair,
  },
});

export const mfaRoute = defineRoute({
  method: 'POST',
  path: 'mfa',
  operationId: 'verifyMfa',
  summary: 'Finish a sign-in with a TOTP code or a recovery code',
  access: 'public',
  rateLimit: 'sign-in',
  body: MfaVerifyBody,
  response: TokenPairSchema,
  responseHeaders: REFRESH_COOKIE_HEADER,
  errors: [401],
  examples: { body: { mfaToken: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln', code: '123456' }, response: examplePair },
});

export const mfaEnrollRoute = defineRoute({
  method: 'POST',
  path: 'mfa/enroll',
  operationId: 'enrollMfaAtLogin',
  summary: 'Start the MFA enrolment a tenant requires, with the token from login',
  access: 'public',
  rateLimit: 'sign-in',
  body: MfaTokenEnrollBody,
  response: MfaEnrollmentSchema,
  errors: [401, 409],
});

export const mfaConfirmRoute = defineRoute({
  method: 'POST',
  path: 'mfa/confirm',
  operationId: 'confirmMfaAtLogin',
  summary: 'Confirm the enrolment with a first code; answers recovery codes and the session',
  access: 'public',
  rateLimit: 'sign-in',
  body: MfaTokenConfirmBody,
  response: MfaConfirmResponse,
  responseHeaders: REFRESH_COOKIE_HEADER,
  errors: [401, 409],
});

export const refreshRoute = defineRoute({
  method: 'POST',
  path: 'refresh',
  operationId: 'refreshSession',
  summary: 'Renew the session with the refresh token (body or httpOnly cookie)',
  description:
    'Every use rotates the refresh token; presenting a rotated one again ends the session. Send no body (and no Content-Type) to use the cookie, e.g. after an SSO login.',
  access: 'public',
  rateLimit: 'sign-in',
  body: RefreshBody,
  response: TokenPairSchema,
  responseHeaders: REFRESH_COOKIE_HEADER,
  errors: [401],
});

export const logoutRoute = defineRoute({
  method: 'POST',
  path: 'logout',
  operationId: 'logout',
  summary: 'End the session of the refresh token (body or cookie) or of the bearer access token',
  access: 'public',
  rateLimit: 'sign-in',
  body: RefreshBody,
  response: Done,
  responseHeaders: REFRESH_COOKIE_HEADER,
  errors: [401],
});

export const switchTenantRoute = defineRoute({
  method: 'POST',
  path: 'switch-tenant',
  operationId: 'switchTenant',
  summary: 'End this session and open one in another of the user’s tenants',
  access: 'observer',
  credential: 'session',
  body: SwitchTenantBody,
  response: TokenPairSchema,
  responseHeaders: REFRESH_COOKIE_HEADER,
  errors: [404],
});

export const changePasswordRoute = defineRoute({
  method: 'POST',
  path: 'change-password',
  operationId: 'changePassword',
  summary: 'Change a password with the current one (also when it has expired); ends every session',
  access: 'public',
  rateLimit: 'sign-in',
  body: ChangePasswordBody,
  response: Done,
  errors: [401],
});

export const acceptInvitationRoute = defineRoute({
  method: 'POST',
  path: 'invitations/accept',
  operationId: 'acceptInvitation',
  summary: 'Join a tenant with an invitation token (a new account, or an existing one proving its password)',
  access: 'public',
  rateLimit: 'sign-in',
  body: AcceptInvitationBody,
  response: AcceptInvitationResponse,
  errors: [401],
});
