/** JSON shapes of users, groups, rulesets and tokens (core-api.md §3). */
import { Type } from '@sinclair/typebox';
import { Nullable } from '../http/schema.js';
import { apiDateTime, today } from '../util/time.js';
import { redactTokenKey } from './tokens.js';
import type { AuthUser } from './users.js';

export const GroupBrief = Type.Object({ pk: Type.Integer(), name: Type.String() });

export const UserBrief = Type.Object({
  pk: Type.Integer(),
  username: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  email: Type.String(),
});

export const UserSchema = Type.Object({
  pk: Type.Integer(),
  username: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  email: Type.String(),
  groups: Type.Array(GroupBrief),
  is_staff: Type.Boolean(),
  is_superuser: Type.Boolean(),
  is_active: Type.Boolean(),
});

export const ProfileSchema = Type.Object({
  language: Nullable(Type.String()),
  theme: Type.Unknown(),
  widgets: Type.Unknown(),
  displayname: Nullable(Type.String()),
  position: Nullable(Type.String()),
  status: Nullable(Type.String()),
  location: Nullable(Type.String()),
  active: Type.Boolean(),
  contact: Nullable(Type.String()),
  type: Type.String(),
  organisation: Nullable(Type.String()),
  primary_group: Nullable(Type.Integer()),
});

export const MeSchema = Type.Composite([UserSchema, Type.Object({ profile: ProfileSchema })]);

export const RolesSchema = Type.Object({
  user: Type.Integer(),
  username: Type.String(),
  roles: Type.Record(Type.String(), Nullable(Type.Array(Type.String()))),
  permissions: Type.Record(Type.String(), Type.Array(Type.String())),
  is_staff: Type.Boolean(),
  is_superuser: Type.Boolean(),
});

export const RulesetSchema = Type.Object({
  pk: Type.Integer(),
  name: Type.String(),
  label: Type.String(),
  group: Type.Integer(),
  can_view: Type.Boolean(),
  can_add: Type.Boolean(),
  can_change: Type.Boolean(),
  can_delete: Type.Boolean(),
});

export const TokenSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  token: Type.String(),
  created: Type.String(),
  expiry: Type.String(),
  last_seen: Nullable(Type.String()),
  active: Type.Boolean(),
  revoked: Type.Boolean(),
  user: Type.Integer(),
  user_detail: UserBrief,
  in_use: Type.Boolean(),
});

export const IssuedTokenSchema = Type.Object({ token: Type.String(), name: Type.String(), expiry: Type.String() });

export function userBrief(user: AuthUser) {
  return { pk: user.id, username: user.username, first_name: user.first_name, last_name: user.last_name, email: user.email };
}

export function userBody(user: AuthUser, groups: { pk: number; name: string }[]) {
  return {
    pk: user.id,
    username: user.username,
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    groups,
    is_staff: user.is_staff,
    is_superuser: user.is_superuser,
    is_active: user.is_active,
  };
}

export function profileBody(user: AuthUser, groups: { pk: number; name: string }[]) {
  const display = `${user.first_name} ${user.last_name}`.trim();
  return {
    language: null,
    theme: null,
    widgets: null,
    displayname: display === '' ? null : display,
    position: null,
    status: null,
    location: null,
    active: user.is_active,
    contact: null,
    type: 'internal',
    organisation: null,
    primary_group: groups[0]?.pk ?? null,
  };
}

const RULESET_LABELS: Record<string, string> = {
  admin: 'Admin',
  part_category: 'Part Categories',
  part: 'Parts',
  stock_location: 'Stock Locations',
  stock: 'Stock Items',
  build: 'Build Orders',
  purchase_order: 'Purchase Orders',
  sales_order: 'Sales Orders',
  return_order: 'Return Orders',
};

export function rulesetBody(row: { id: number; name: string; group_id: number; can_view: unknown; can_add: unknown; can_change: unknown; can_delete: unknown }) {
  return {
    pk: row.id,
    name: row.name,
    label: RULESET_LABELS[row.name] ?? row.name,
    group: row.group_id,
    can_view: Boolean(row.can_view),
    can_add: Boolean(row.can_add),
    can_change: Boolean(row.can_change),
    can_delete: Boolean(row.can_delete),
  };
}

export interface TokenListRow {
  id: number;
  name: string;
  key: string;
  created: string;
  expiry: string;
  last_seen: string | null;
  revoked: unknown;
  user: AuthUser;
}

export function tokenBody(row: TokenListRow, currentTokenId: number | null, reveal = false) {
  return {
    id: row.id,
    name: row.name,
    token: reveal ? row.key : redactTokenKey(row.key),
    created: apiDateTime(row.created) ?? '',
    expiry: row.expiry,
    last_seen: row.last_seen,
    active: !row.revoked && row.expiry >= today(),
    revoked: Boolean(row.revoked),
    user: row.user.id,
    user_detail: userBrief(row.user),
    in_use: currentTokenId === row.id,
  };
}
