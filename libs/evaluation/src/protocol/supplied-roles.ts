import { EvalConfigError } from '../errors.js';

/**
 * Roles of a split decided by the caller (e.g. read from a published split) instead of drawn:
 * one flag per user (1 = new/test user, 0 = training user) and per item (1 = new, 0 = existing),
 * indexed like the ratings table. Either side may be absent; that side is then drawn as usual.
 */
export interface SuppliedRoles {
  /** 1 for each new (test) user, 0 for a training user; length = the table's `userCount`. */
  readonly isTestUser?: Uint8Array;
  /** 1 for each new item, 0 for an existing one; length = the table's `itemCount`. */
  readonly isNewItem?: Uint8Array;
  /** Where the roles came from, recorded in the results (e.g. a file path). @defaultValue 'supplied roles' */
  readonly source?: string;
}

/** Label of supplied roles that name no source. */
export const DEFAULT_SUPPLIED_ROLES_SOURCE = 'supplied roles';

/** How one side of a split got its roles: drawn by the protocol, or supplied by the caller. */
export type RoleOrigin = { readonly kind: 'drawn' } | { readonly kind: 'supplied'; readonly source: string };

/** Summary of {@link SuppliedRoles} fit for a JSON results file (the flags themselves are not). */
export interface SuppliedRolesSummary {
  readonly source: string;
  /** New users among the supplied flags, or null when users were not supplied. */
  readonly testUsers: number | null;
  /** New items among the supplied flags, or null when items were not supplied. */
  readonly newItems: number | null;
}

function count(flags: Uint8Array): number {
  return flags.reduce((n, f) => n + f, 0);
}

function assertFlags(field: string, flags: Uint8Array, length: number, lengthName: string): void {
  if (!(flags instanceof Uint8Array)) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `ColdStartSplitOptions.roles.${field} must be a Uint8Array`);
  }
  if (flags.length !== length) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `ColdStartSplitOptions.roles.${field} has length ${flags.length}, the table's ${lengthName} is ${length}`);
  }
  const bad = flags.findIndex((f) => f !== 0 && f !== 1);
  if (bad >= 0) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `ColdStartSplitOptions.roles.${field}[${bad}] is ${flags[bad]}; flags are 0 or 1`);
  }
}

/**
 * Checks supplied roles against a table's size: flags of the right length holding 0 or 1, at
 * least one new and one training user (something to evaluate, something to train on), at least
 * one existing item (warm tasks are the training data; zero new items is allowed, as with
 * `newItemFraction: 0`).
 * @throws EvalConfigError `EVAL_CONFIG_INVALID` naming the field.
 */
export function assertValidSuppliedRoles(roles: SuppliedRoles, userCount: number, itemCount: number): void {
  if (roles.isTestUser !== undefined) {
    assertFlags('isTestUser', roles.isTestUser, userCount, 'userCount');
    const test = count(roles.isTestUser);
    if (test === 0 || test === userCount) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `ColdStartSplitOptions.roles.isTestUser marks ${test} of ${userCount} users as new; need at least one new and one training user`);
    }
  }
  if (roles.isNewItem !== undefined) {
    assertFlags('isNewItem', roles.isNewItem, itemCount, 'itemCount');
    if (count(roles.isNewItem) === itemCount) {
      throw new EvalConfigError('EVAL_CONFIG_INVALID', `ColdStartSplitOptions.roles.isNewItem marks all ${itemCount} items as new; need at least one existing item`);
    }
  }
}

/** The origin of each side of a split under `roles` (drawn where a side is not supplied). */
export function roleOrigins(roles: SuppliedRoles | undefined): { readonly users: RoleOrigin; readonly items: RoleOrigin } {
  const source = roles?.source ?? DEFAULT_SUPPLIED_ROLES_SOURCE;
  const origin = (flags: Uint8Array | undefined): RoleOrigin => (flags === undefined ? { kind: 'drawn' } : { kind: 'supplied', source });
  return { users: origin(roles?.isTestUser), items: origin(roles?.isNewItem) };
}

/** A JSON-safe account of supplied roles: their source and counts, not the flags. */
export function summarizeSuppliedRoles(roles: SuppliedRoles): SuppliedRolesSummary {
  return {
    source: roles.source ?? DEFAULT_SUPPLIED_ROLES_SOURCE,
    testUsers: roles.isTestUser === undefined ? null : count(roles.isTestUser),
    newItems: roles.isNewItem === undefined ? null : count(roles.isNewItem),
  };
}
