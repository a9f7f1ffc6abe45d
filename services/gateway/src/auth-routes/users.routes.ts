import { rpcMethods } from '@optralis/contracts';
import { z } from 'zod';

import { CursorQuery, IdParams, limitQuery, pageOf } from '../openapi/common.schemas';
import { defineRoute } from '../openapi/route-definition';
import { component } from '../openapi/schema-components';
import { UserViewSchema } from './session.schemas';

const UserPage = pageOf('UserPage', UserViewSchema);

export const listUsersRoute = defineRoute({
  method: 'GET',
  path: '',
  operationId: 'listUsers',
  summary: 'Users of the caller’s tenant, by email',
  access: 'admin',
  query: z.strictObject({ limit: limitQuery(200, 50), cursor: CursorQuery }),
  response: UserPage,
});

export const createUserRoute = defineRoute({
  method: 'POST',
  path: '',
  operationId: 'createUser',
  summary: 'Add a user to the tenant (a known email just joins it)',
  description: 'Without `password` a one-time password is answered, to be changed at the first login.',
  access: 'admin',
  body: component('CreateUserRequest', rpcMethods['rpc.auth.users.create'].request.omit({ actor: true })),
  response: component('CreatedUser', rpcMethods['rpc.auth.users.create'].reply),
  status: 201,
  errors: [409],
  examples: { body: { email: 'ops@example.com', role: 'editor' } },
});

export const getUserRoute = defineRoute({
  method: 'GET',
  path: ':id',
  operationId: 'getUser',
  summary: 'One user of the tenant',
  access: 'admin',
  params: IdParams,
  response: UserViewSchema,
  errors: [404],
});

export const updateUserRoute = defineRoute({
  method: 'PATCH',
  path: ':id',
  operationId: 'updateUser',
  summary: 'Change a user’s role or status (disabling ends their sessions)',
  access: 'admin',
  params: IdParams,
  body: component(
    'UpdateUserRequest',
    rpcMethods['rpc.auth.users.update'].request.omit({ actor: true, userId: true }),
  ),
  response: UserViewSchema,
  errors: [404, 409],
  examples: { body: { role: 'observer' } },
});

export const deleteUserRoute = defineRoute({
  method: 'DELETE',
  path: ':id',
  operationId: 'deleteUser',
  summary: 'Remove a user from the tenant',
  access: 'admin',
  params: IdParams,
  status: 204,
  errors: [404, 409],
});

export const resetPasswordRoute = defineRoute({
  method: 'POST',
  path: ':id/reset-password',
  operationId: 'resetUserPassword',
  summary: 'Give a user a one-time password, to be changed at their next login',
  access: 'admin',
  params: IdParams,
  response: rpcMethods['rpc.auth.users.resetPassword'].reply,
  errors: [404],
});
