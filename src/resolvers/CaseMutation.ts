/**
 * The case mutations (DESIGN 5c). Arguments are checked before any call;
 * one id takes Coralogix's single-case path, several its bulk path (the case
 * client decides, `WRITES`). A status change the request already knows to be
 * impossible (the case loader saw the case in this request) is refused
 * before the call; the gateway never reads a case first only to check.
 * Every answer primes the case loader (the loaders do it).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import { BadUserInputError, NotFoundError } from '../errors.js';
import { ensureOneUptimeIncidentForCase, linkCase, unlinkCase } from '../links/caseWrites.js';
import type { CaseWrite } from '../live/events.js';
import {
  leftOutError,
  type CaseWrite as CaseWriteRequest,
} from '../upstreams/coralogix/cases/client.js';
import { refusal, type LifecycleAction } from '../upstreams/coralogix/cases/lifecycle.js';
import { CASE_LIMITS, type Case } from '../upstreams/coralogix/cases/types.js';
import { checkCaseId, checkCaseIds } from './caseInputs.js';
import { notePersisted } from './persistedWrites.js';
import { checkText, checkUuid, isUuid } from './validate.js';

type CaseMutationResolvers = Pick<
  MutationResolvers,
  | 'assignCases'
  | 'unassignCases'
  | 'acknowledgeCases'
  | 'unacknowledgeCase'
  | 'resolveCases'
  | 'closeCases'
  | 'setCasePriority'
  | 'clearCasePriority'
  | 'updateCase'
  | 'addCaseComment'
  | 'updateCaseComment'
  | 'deleteCaseComment'
  | 'linkCase'
  | 'unlinkCase'
  | 'ensureOneUptimeIncidentForCase'
>;

const IDS = 'input.caseIds';
const ID = 'input.caseId';

/** Refuses a status change the request already knows a case cannot make (BAD_USER_INPUT). */
function checkLifecycle(
  ctx: GatewayContext,
  ids: readonly string[],
  action: LifecycleAction,
  argumentName: string,
): void {
  for (const id of ids) {
    const status = ctx.cases.knownStatus(id);
    const why = status && refusal(action, status);
    if (why) {
      throw new BadUserInputError(
        `Case "${id}" cannot be ${action === 'unacknowledge' ? 'unacknowledged' : `${action}d`}: ${why} (it is ${status.replace('CASE_STATUS_', '')}). Nothing was sent.`,
        { argumentName, caseId: id, status: status.replace('CASE_STATUS_', '') },
      );
    }
  }
}

/**
 * The write persisted: live subscribers (here and on other replicas) are told,
 * and a failure reading its answer will say what was applied (persistedWrites.ts).
 */
function persisted(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  write: CaseWrite,
  ids: readonly string[],
  cases: Case[],
): void {
  ctx.live?.casesWritten(write, cases);
  notePersisted(ctx, info, ids);
}

/**
 * Writes these cases and answers the payload. An answer that left some of
 * them out is an error naming them, and the ones it did answer as applied.
 */
async function writeCases(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  ids: string[],
  write: CaseWriteRequest,
) {
  const answer = await ctx.cases.write(ids, write);
  if (answer.leftOut.length > 0) {
    ctx.live?.casesWritten(write.action, answer.cases);
    throw leftOutError(write.action, ids, answer.leftOut);
  }
  persisted(ctx, info, write.action, ids, answer.cases);
  return { cases: answer.cases };
}

/** The case's UUID: the link field holds it, so a readable id is read first (NOT_FOUND if none). */
async function caseUuid(ctx: GatewayContext, raw: string): Promise<string> {
  const id = checkCaseId(raw, ID);
  if (isUuid(id)) return id;
  const found = await ctx.cases.case.load(id);
  if (!found) throw new NotFoundError(`No Coralogix case has id "${id}".`, { argumentName: ID });
  return found.id;
}

export const CaseMutation: CaseMutationResolvers = {
  assignCases: async (_, { input }, ctx, info) => {
    const ids = checkCaseIds(input.caseIds, IDS);
    const userId = checkUuid(input.userId, 'input.userId');
    return writeCases(ctx, info, ids, { action: 'assign', userId });
  },

  unassignCases: async (_, { input }, ctx, info) => {
    const ids = checkCaseIds(input.caseIds, IDS);
    return writeCases(ctx, info, ids, { action: 'unassign' });
  },

  acknowledgeCases: async (_, { input }, ctx, info) => {
    const ids = checkCaseIds(input.caseIds, IDS);
    const userId = input.userId == null ? undefined : checkUuid(input.userId, 'input.userId');
    if (ids.length > 1 && !userId) {
      throw new BadUserInputError(
        'Acknowledging several cases needs "input.userId": Coralogix\'s bulk acknowledge records who acknowledged them.',
        { argumentName: 'input.userId' },
      );
    }
    checkLifecycle(ctx, ids, 'acknowledge', IDS);
    const change = ids.length > 1 ? { userId: userId as string } : {};
    return writeCases(ctx, info, ids, { action: 'acknowledge', ...change });
  },

  unacknowledgeCase: async (_, { input }, ctx, info) => {
    const id = checkCaseId(input.caseId, ID);
    checkLifecycle(ctx, [id], 'unacknowledge', ID);
    const item = await ctx.cases.unacknowledge(id);
    persisted(ctx, info, 'unacknowledge', [id], [item]);
    return { case: item };
  },

  resolveCases: async (_, { input }, ctx, info) => {
    const ids = checkCaseIds(input.caseIds, IDS);
    // ResolveCase takes 1–500 characters, BulkResolve 1–4096 (S1).
    const max =
      ids.length === 1
        ? CASE_LIMITS.maxResolutionReasonLength
        : CASE_LIMITS.maxBulkResolutionReasonLength;
    const reason = input.reason == null ? undefined : checkText(input.reason, 'input.reason', max);
    checkLifecycle(ctx, ids, 'resolve', IDS);
    const change = reason === undefined ? {} : { reason };
    return writeCases(ctx, info, ids, { action: 'resolve', ...change });
  },

  closeCases: async (_, { input }, ctx, info) => {
    const ids = checkCaseIds(input.caseIds, IDS);
    checkLifecycle(ctx, ids, 'close', IDS);
    return writeCases(ctx, info, ids, { action: 'close' });
  },

  setCasePriority: async (_, { input }, ctx, info) => {
    const ids = checkCaseIds(input.caseIds, IDS);
    if (input.priority === 'CASE_PRIORITY_UNSPECIFIED') {
      throw new BadUserInputError('"input.priority" must be one of P1 … P5.', {
        argumentName: 'input.priority',
      });
    }
    return writeCases(ctx, info, ids, { action: 'setPriority', priority: input.priority });
  },

  clearCasePriority: async (_, { input }, ctx, info) => {
    const ids = checkCaseIds(input.caseIds, IDS);
    return writeCases(ctx, info, ids, { action: 'clearPriority' });
  },

  updateCase: async (_, { input }, ctx, info) => {
    const id = checkCaseId(input.caseId, ID);
    const changes: { title?: string; resolutionReason?: string } = {};
    if (input.title != null) {
      changes.title = checkText(input.title, 'input.title', CASE_LIMITS.maxTitleLength);
    }
    if (input.resolutionReason != null) {
      changes.resolutionReason = checkText(
        input.resolutionReason,
        'input.resolutionReason',
        CASE_LIMITS.maxResolutionReasonLength,
      );
    }
    if (Object.keys(changes).length === 0) {
      throw new BadUserInputError('"input" must change "title" or "resolutionReason".', {
        argumentName: 'input',
      });
    }
    const item = await ctx.cases.update(id, changes);
    persisted(ctx, info, 'update', [id], [item]);
    return { case: item };
  },

  addCaseComment: (_, { input }, ctx) =>
    ctx.cases.addComment(
      checkCaseId(input.caseId, ID),
      checkText(input.text, 'input.text', CASE_LIMITS.maxCommentLength),
    ),

  updateCaseComment: (_, { input }, ctx) =>
    ctx.cases.updateComment(
      checkUuid(input.eventId, 'input.eventId'),
      checkText(input.text, 'input.text', CASE_LIMITS.maxCommentLength),
    ),

  deleteCaseComment: async (_, { input }, ctx) => {
    const eventId = checkUuid(input.eventId, 'input.eventId');
    await ctx.cases.deleteComment(eventId);
    return { id: eventId };
  },

  linkCase: async (_, { input }, ctx) => {
    const oneUptimeId = checkUuid(input.oneUptimeIncidentId, 'input.oneUptimeIncidentId');
    return linkCase(ctx, await caseUuid(ctx, input.caseId), oneUptimeId);
  },

  unlinkCase: async (_, { input }, ctx) => unlinkCase(ctx, await caseUuid(ctx, input.caseId)),

  ensureOneUptimeIncidentForCase: async (_, { input }, ctx) => {
    const choice: { severityId?: string; stateId?: string } = {};
    if (input.severityId != null) {
      choice.severityId = checkUuid(input.severityId, 'input.severityId');
    }
    if (input.stateId != null) choice.stateId = checkUuid(input.stateId, 'input.stateId');
    return ensureOneUptimeIncidentForCase(ctx, await caseUuid(ctx, input.caseId), choice);
  },
};
