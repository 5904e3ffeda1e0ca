/**
 * `/api/user/...`: the current user, API tokens, roles (core-api.md §3) and the
 * administration of users, groups and rulesets (reads for everyone signed in, writes for
 * staff holding the admin role, or superusers).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { markLogin } from '../http/auth.js';
import { ApiError, notFound, permissionDenied } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginate, paginateArray } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { queryBool, queryInt, queryOf, queryString } from '../http/listing.js';
import { createGroup, createUserWithGroups, renameGroup, updateRuleset, updateUser, userWithGroups } from './admin.js';
import { isRulesetName } from './roles.js';
import {
  GroupBrief,
  IssuedTokenSchema,
  MeSchema,
  profileBody,
  RolesSchema,
  RulesetSchema,
  TokenSchema,
  UserSchema,
  rulesetBody,
  tokenBody,
  userBody,
  type TokenListRow,
} from './serializers.js';
import { CSRF_COOKIE, createSession, SESSION_COOKIE, SESSION_MAX_AGE_SECONDS } from './sessions.js';
import { createToken, getOrCreateToken, revokeToken, sanitizeTokenName } from './tokens.js';
import { findUserById, groupsOfUser, toAuthUser, type AuthUser } from './users.js';

const ADMIN_WRITES = { permission: { adminWrites: true as const } };

function currentUser(request: FastifyRequest): AuthUser {
  if (request.user === null) throw new ApiError(401, { detail: 'Authentication credentials were not provided.' });
  return request.user;
}

// --- forms -----------------------------------------------------------------------------------

const MeForm = f.object({
  first_name: f.string({ maxLength: 150, allowBlank: true, required: false }),
  last_name: f.string({ maxLength: 150, allowBlank: true, required: false }),
});

const TokenCreateForm = f.object({
  name: f.string({ maxLength: 100, allowBlank: true, required: false }),
  expiry: f.date({ required: false, nullable: true }),
});

const groupIds = f.list(f.integer({ min: 1 }), { required: false });

function userForm(partial: boolean) {
  return f.object({
    username: f.string({ maxLength: 150, required: !partial }),
    password: f.string({ maxLength: 128, required: false, trim: false }),
    email: f.string({ maxLength: 254, allowBlank: true, required: false }),
    first_name: f.string({ maxLength: 150, allowBlank: true, required: false }),
    last_name: f.string({ maxLength: 150, allowBlank: true, required: false }),
    is_staff: f.boolean({ required: false }),
    is_superuser: f.boolean({ required: false }),
    is_active: f.boolean({ required: false }),
    groups: groupIds,
    group_ids: groupIds,
  });
}
const UserCreateForm = userForm(false);
const UserUpdateForm = userForm(true);

const GroupForm = f.object({ name: f.string({ maxLength: 150 }) });

const RulesetForm = f.object({
  can_view: f.boolean({ required: false }),
  can_add: f.boolean({ required: false }),
  can_change: f.boolean({ required: false }),
  can_delete: f.boolean({ required: false }),
});

// --- routes ----------------------------------------------------------------------------------

export async function userRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const ctx = { db };

  // Current user ---------------------------------------------------------------------------
  const meHandler = async (request: FastifyRequest) => {
    const user = currentUser(request);
    if (request.method === 'PUT' || request.method === 'PATCH') {
      const body = await f.parseBody(MeForm, request.body, ctx);
      const changes = { ...body };
      if (Object.keys(changes).length > 0) await db.updateTable('auth_user').set(changes).where('id', '=', user.id).execute();
    }
    const fresh = (await findUserById(db, user.id)) ?? user;
    const groups = await groupsOfUser(db, user.id);
    return { ...userBody(fresh, groups), profile: profileBody(fresh, groups) };
  };
  for (const method of ['GET', 'PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: '/api/user/me/',
      schema: { tags: ['user'], summary: 'The current user', ...(method !== 'GET' ? { body: MeForm.schema } : {}), response: { 200: MeSchema } },
      handler: meHandler,
    });
  }

  // Token for this user (legacy and /me/ paths, D3) ---------------------------------------------
  const tokenHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const user = currentUser(request);
    const name = sanitizeTokenName(queryString(queryOf(request), 'name') ?? '');
    const token = await getOrCreateToken(db, app.ctx.secret, user.id, name, {
      user_agent: request.headers['user-agent'] ?? '',
      remote_addr: request.ip,
    });
    if (request.authInfo.method === 'basic') {
      const session = await createSession(db, app.ctx.secret, user.id);
      const secure = request.protocol === 'https';
      reply.setCookie(SESSION_COOKIE, session.key, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_MAX_AGE_SECONDS });
      reply.setCookie(CSRF_COOKIE, session.csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge: SESSION_MAX_AGE_SECONDS });
      await markLogin(app, user.id);
    }
    return { token: token.key, name: token.name, expiry: token.expiry };
  };
  for (const url of ['/api/user/token/', '/api/user/me/token/']) {
    app.get(
      url,
      {
        schema: {
          tags: ['user'],
          summary: 'Get (or create) an API token for the current user',
          querystring: Type.Object({ name: Type.Optional(Type.String({ description: 'Token name' })) }),
          response: { 200: IssuedTokenSchema },
        },
      },
      tokenHandler,
    );
  }

  // Roles (legacy and /me/ paths, D3) -------------------------------------------------------
  const rolesHandler = async (request: FastifyRequest) => {
    const user = currentUser(request);
    const permissions = await request.permissions();
    return {
      user: user.id,
      username: user.username,
      roles: permissions.rolesObject(),
      permissions: permissions.permissionsObject(),
      is_staff: user.is_staff,
      is_superuser: user.is_superuser,
    };
  };
  for (const url of ['/api/user/roles/', '/api/user/me/roles/']) {
    app.get(url, { schema: { tags: ['user'], summary: 'Roles of the current user', response: { 200: RolesSchema } } }, rolesHandler);
  }

  // Token management ------------------------------------------------------------------------
  async function tokenRows(request: FastifyRequest, filter: { id?: number; allUsers: boolean }): Promise<TokenListRow[]> {
    const user = currentUser(request);
    let q = db
      .selectFrom('api_token')
      .innerJoin('auth_user', 'auth_user.id', 'api_token.user_id')
      .select([
        'api_token.id',
        'api_token.name',
        'api_token.key_encrypted',
        'api_token.created',
        'api_token.expiry',
        'api_token.last_seen',
        'api_token.revoked',
        'auth_user.id as user_id',
        'auth_user.username',
        'auth_user.email',
        'auth_user.first_name',
        'auth_user.last_name',
        'auth_user.is_staff',
        'auth_user.is_superuser',
        'auth_user.is_active',
      ])
      .orderBy('api_token.id');
    if (!(filter.allUsers && user.is_superuser)) q = q.where('api_token.user_id', '=', user.id);
    if (filter.id !== undefined) q = q.where('api_token.id', '=', filter.id);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      key: app.ctx.secret.decrypt(r.key_encrypted),
      created: r.created,
      expiry: r.expiry,
      last_seen: r.last_seen,
      revoked: r.revoked,
      user: toAuthUser({ ...r, id: r.user_id }),
    }));
  }

  app.get(
    '/api/user/tokens/',
    { schema: { tags: ['user'], summary: 'API tokens of the current user', response: { 200: listResponse(TokenSchema) } } },
    async (request) => {
      const allUsers = queryBool(queryOf(request), 'all_users') === true;
      const rows = await tokenRows(request, { allUsers });
      return paginateArray(
        request,
        rows.map((r) => tokenBody(r, request.authInfo.tokenId)),
      );
    },
  );

  app.post(
    '/api/user/tokens/',
    { schema: { tags: ['user'], summary: 'Create an API token', body: TokenCreateForm.schema, response: { 201: TokenSchema } } },
    async (request, reply) => {
      const user = currentUser(request);
      const body = await f.parseBody(TokenCreateForm, request.body, ctx);
      const issued = await createToken(db, app.ctx.secret, user.id, sanitizeTokenName(body.name ?? ''), {
        ...(body.expiry ? { expiry: body.expiry } : {}),
        metadata: { user_agent: request.headers['user-agent'] ?? '', remote_addr: request.ip },
      });
      const [row] = await tokenRows(request, { id: issued.id, allUsers: false });
      reply.code(201);
      return tokenBody(row as TokenListRow, request.authInfo.tokenId, true);
    },
  );

  app.get(
    `/api/user/tokens/${PK_PARAM}/`,
    { schema: { tags: ['user'], summary: 'One API token', response: { 200: TokenSchema } } },
    async (request) => {
      const id = pkParam(request, 'ApiToken');
      const [row] = await tokenRows(request, { id, allUsers: true });
      if (row === undefined) throw notFound('ApiToken');
      return tokenBody(row, request.authInfo.tokenId);
    },
  );

  app.delete(`/api/user/tokens/${PK_PARAM}/`, { schema: { tags: ['user'], summary: 'Revoke an API token' } }, async (request, reply) => {
    const id = pkParam(request, 'ApiToken');
    const [row] = await tokenRows(request, { id, allUsers: true });
    if (row === undefined) throw notFound('ApiToken');
    await revokeToken(db, id);
    return reply.code(204).send();
  });

  // Users -----------------------------------------------------------------------------------
  async function userView(user: AuthUser) {
    const { groups } = await userWithGroups(db, user);
    return userBody(user, groups);
  }

  app.get(
    '/api/user/',
    { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'List users', response: { 200: listResponse(UserSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const search = queryString(query, 'search')?.trim();
      const ordering = queryString(query, 'ordering') ?? 'username';
      const orderColumns = { username: 'username', email: 'email', first_name: 'first_name', last_name: 'last_name', pk: 'id', is_staff: 'is_staff', is_active: 'is_active', is_superuser: 'is_superuser' } as const;
      const desc = ordering.startsWith('-');
      const orderKey = (desc ? ordering.slice(1) : ordering) as keyof typeof orderColumns;
      const orderColumn = orderColumns[orderKey] ?? 'username';
      let q = db.selectFrom('auth_user');
      for (const flag of ['is_active', 'is_staff', 'is_superuser'] as const) {
        const value = queryBool(query, flag);
        if (value !== undefined) q = q.where(flag, '=', value);
      }
      const group = queryInt(query, 'group');
      if (group !== undefined) q = q.where('id', 'in', db.selectFrom('auth_user_group').select('user_id').where('group_id', '=', group));
      if (search !== undefined && search !== '') {
        const pattern = `%${search.toLowerCase()}%`;
        q = q.where((eb) =>
          eb.or([eb(eb.fn('lower', ['username']), 'like', pattern), eb(eb.fn('lower', ['first_name']), 'like', pattern), eb(eb.fn('lower', ['last_name']), 'like', pattern), eb(eb.fn('lower', ['email']), 'like', pattern)]),
        );
      }
      return paginate(
        request,
        async () => Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
        async (page) => {
          let rows = q
            .select(['id', 'username', 'email', 'first_name', 'last_name', 'is_staff', 'is_superuser', 'is_active'])
            .orderBy(orderColumn, desc ? 'desc' : 'asc')
            .orderBy('id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          const users = (await rows.execute()).map(toAuthUser);
          return Promise.all(users.map(userView));
        },
      );
    },
  );

  function checkPrivilegeChange(request: FastifyRequest, target: AuthUser | undefined, body: { is_superuser?: boolean | undefined }): void {
    const actor = currentUser(request);
    if (actor.is_superuser) return;
    if (body.is_superuser === true || target?.is_superuser) throw permissionDenied('Only a superuser can create or change a superuser account');
  }

  function userChanges(body: f.Infer<typeof UserUpdateForm>) {
    const { group_ids, groups, ...rest } = body;
    const chosen = groups ?? group_ids;
    return { ...rest, ...(chosen !== undefined ? { groups: chosen } : {}) };
  }

  app.post(
    '/api/user/',
    { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'Create a user', body: UserCreateForm.schema, response: { 201: UserSchema } } },
    async (request, reply) => {
      const body = await f.parseBody(UserCreateForm, request.body, ctx);
      checkPrivilegeChange(request, undefined, body);
      const user = await createUserWithGroups(app.ctx.database, { ...userChanges(body), username: body.username });
      reply.code(201);
      return userView(user);
    },
  );

  async function loadUser(request: FastifyRequest): Promise<AuthUser> {
    const user = await findUserById(db, pkParam(request, 'User'));
    if (user === undefined) throw notFound('User');
    return user;
  }

  app.get(`/api/user/${PK_PARAM}/`, { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'One user', response: { 200: UserSchema } } }, async (request) =>
    userView(await loadUser(request)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `/api/user/${PK_PARAM}/`,
      config: ADMIN_WRITES,
      schema: { tags: ['user'], summary: 'Change a user', body: UserUpdateForm.schema, response: { 200: UserSchema } },
      handler: async (request) => {
        const target = await loadUser(request);
        const body = await f.parseBody(UserUpdateForm, request.body, ctx);
        checkPrivilegeChange(request, target, body);
        return userView(await updateUser(app.ctx.database, target.id, userChanges(body)));
      },
    });
  }

  app.delete(`/api/user/${PK_PARAM}/`, { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'Delete a user' } }, async (request, reply) => {
    const target = await loadUser(request);
    checkPrivilegeChange(request, target, {});
    if (target.id === currentUser(request).id) throw new ApiError(400, { detail: 'You cannot delete your own account' });
    await db.deleteFrom('auth_user').where('id', '=', target.id).execute();
    return reply.code(204).send();
  });

  // Groups ----------------------------------------------------------------------------------
  app.get(
    '/api/user/group/',
    { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'List groups', response: { 200: listResponse(GroupBrief) } } },
    async (request) => {
      const search = queryString(queryOf(request), 'search')?.trim().toLowerCase();
      let q = db.selectFrom('auth_group').select(['id', 'name']).orderBy('name');
      if (search) q = q.where((eb) => eb(eb.fn('lower', ['name']), 'like', `%${search}%`));
      const rows = await q.execute();
      return paginateArray(
        request,
        rows.map((g) => ({ pk: g.id, name: g.name })),
      );
    },
  );

  app.post(
    '/api/user/group/',
    { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'Create a group', body: GroupForm.schema, response: { 201: GroupBrief } } },
    async (request, reply) => {
      const body = await f.parseBody(GroupForm, request.body, ctx);
      const group = await createGroup(app.ctx.database, body.name);
      reply.code(201);
      return { pk: group.id, name: group.name };
    },
  );

  async function loadGroup(request: FastifyRequest) {
    const group = await db.selectFrom('auth_group').select(['id', 'name']).where('id', '=', pkParam(request, 'Group')).executeTakeFirst();
    if (group === undefined) throw notFound('Group');
    return group;
  }

  app.get(`/api/user/group/${PK_PARAM}/`, { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'One group', response: { 200: GroupBrief } } }, async (request) => {
    const group = await loadGroup(request);
    return { pk: group.id, name: group.name };
  });

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `/api/user/group/${PK_PARAM}/`,
      config: ADMIN_WRITES,
      schema: { tags: ['user'], summary: 'Rename a group', body: GroupForm.schema, response: { 200: GroupBrief } },
      handler: async (request) => {
        const group = await loadGroup(request);
        const body = await f.parseBody(GroupForm, request.body, ctx);
        await renameGroup(db, group.id, body.name);
        return { pk: group.id, name: body.name };
      },
    });
  }

  app.delete(`/api/user/group/${PK_PARAM}/`, { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'Delete a group' } }, async (request, reply) => {
    const group = await loadGroup(request);
    await db.deleteFrom('auth_group').where('id', '=', group.id).execute();
    return reply.code(204).send();
  });

  // Rulesets --------------------------------------------------------------------------------
  app.get(
    '/api/user/ruleset/',
    { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'List rulesets', response: { 200: listResponse(RulesetSchema) } } },
    async (request) => {
      const query = queryOf(request);
      let q = db.selectFrom('ruleset').selectAll().orderBy('group_id').orderBy('id');
      const group = queryInt(query, 'group');
      if (group !== undefined) q = q.where('group_id', '=', group);
      const name = queryString(query, 'name');
      if (name !== undefined && name !== '') q = q.where('name', '=', name);
      const rows = await q.execute();
      return paginateArray(request, rows.map(rulesetBody));
    },
  );

  async function loadRuleset(request: FastifyRequest) {
    const row = await db.selectFrom('ruleset').selectAll().where('id', '=', pkParam(request, 'RuleSet')).executeTakeFirst();
    if (row === undefined || !isRulesetName(row.name)) throw notFound('RuleSet');
    return row;
  }

  app.get(`/api/user/ruleset/${PK_PARAM}/`, { config: ADMIN_WRITES, schema: { tags: ['user'], summary: 'One ruleset', response: { 200: RulesetSchema } } }, async (request) =>
    rulesetBody(await loadRuleset(request)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `/api/user/ruleset/${PK_PARAM}/`,
      config: ADMIN_WRITES,
      schema: { tags: ['user'], summary: 'Change a ruleset', body: RulesetForm.schema, response: { 200: RulesetSchema } },
      handler: async (request) => {
        const row = await loadRuleset(request);
        const body = await f.parseBody(RulesetForm, request.body, ctx);
        return rulesetBody(await updateRuleset(app.ctx.database, row.id, body));
      },
    });
  }
}

