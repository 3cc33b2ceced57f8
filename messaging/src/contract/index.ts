import type { Static } from '@sinclair/typebox';
import { authActions } from './auth.js';
import { catalogueActions } from './catalogue.js';
import { staffActions } from './staff.js';
import { systemActions } from './system.js';
import { tillActions } from './till.js';

export * from './common.js';
export * from './catalogue.js';
export * from './staff.js';
export * from './till.js';
export type { ActionDefinition, ActionKind } from './define.js';

/** Every action a front end may send and a worker must answer: the single source of truth for both sides. */
export const actions = {
  ...systemActions,
  ...authActions,
  ...catalogueActions,
  ...tillActions,
  ...staffActions,
};

export type Actions = typeof actions;
export type ActionName = keyof Actions;
export type RequestOf<A extends ActionName> = Static<Actions[A]['request']>;
export type ReplyOf<A extends ActionName> = Static<Actions[A]['reply']>;
export type KindOf<A extends ActionName> = Actions[A]['kind'];

export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(actions, name);
}
