import { MfaEnrollment, rpcMethods, TokenPair, TotpCode, UserView } from '@optralis/contracts';
import { z } from 'zod';

import { Uuid } from '../openapi/common.schemas';
import { component } from '../openapi/schema-components';

const OpaqueToken = z.string().min(16).max(512);

export const TokenPairSchema = component('TokenPair', TokenPair);
export const UserViewSchema = component('User', UserView);
export const MfaEnrollmentSchema = component('MfaEnrollment', MfaEnrollment);

export const LoginBody = component('LoginRequest', rpcMethods['rpc.auth.login'].request);
export const LoginResponse = component(
  'LoginResponse',
  z.union([
    TokenPairSchema,
    z
      .object({ mfaRequired: z.literal(true), mfaToken: z.string() })
      .describe('send the TOTP code to /auth/mfa'),
    z
      .object({ mfaEnrollmentRequired: z.literal(true), mfaToken: z.string() })
      .describe('the tenant requires MFA: enroll with /auth/mfa/enroll and /auth/mfa/confirm'),
    z.object({ passwordExpired: z.literal(true) }).describe('change it with /auth/change-password'),
  ]),
);

export const MfaVerifyBody = component('MfaVerifyRequest', rpcMethods['rpc.auth.mfa.verify'].request);
export const MfaTokenEnrollBody = rpcMethods['rpc.auth.mfa.enroll'].request.options[1];
export const MfaTokenConfirmBody = rpcMethods['rpc.auth.mfa.confirm'].request.options[1];
export const MfaConfirmResponse = component(
  'MfaConfirmation',
  rpcMethods['rpc.auth.mfa.confirm'].reply.describe(
    'recovery codes (shown once) and, after enrolment at login, the session',
  ),
);

/** Refresh and logout read the token from the body or, when there is none, from the httpOnly cookie. */
export const RefreshBody = z.strictObject({ refreshToken: OpaqueToken.optional() }).optional();

export const SwitchTenantBody = z.strictObject({ tenantId: Uuid.describe('one of the caller’s tenants') });
export const ChangePasswordBody = rpcMethods['rpc.auth.users.changePassword'].request;
export const AcceptInvitationBody = rpcMethods['rpc.auth.invitations.accept'].request;
export const AcceptInvitationResponse = rpcMethods['rpc.auth.invitations.accept'].reply;

export const MeResponse = component(
  'Me',
  z.discriminatedUnion('credential', [
    z.object({
      credential: z.literal('session'),
      tenantId: Uuid,
      role: UserView.shape.role,
      sessionId: Uuid,
      user: UserViewSchema,
    }),
    z.object({
      credential: z.literal('api_token'),
      tenantId: Uuid,
      role: UserView.shape.role,
      token: z.object({ id: Uuid, name: z.string() }),
    }),
  ]),
);

export const MfaCodeBody = z.strictObject({ code: TotpCode });
export const MfaDisableBody = z.union([
  z.strictObject({ code: TotpCode }),
  z.strictObject({ password: z.string().min(1).max(1024) }),
]);
export const MyPasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});
