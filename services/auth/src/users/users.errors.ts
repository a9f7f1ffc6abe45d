export const UsersErrorCode = {
  InvalidCredentials: 'invalid_credentials',
  WeakPassword: 'weak_password',
  InvitationInvalid: 'invitation_invalid',
} as const;
