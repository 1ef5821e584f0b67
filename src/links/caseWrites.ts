/**
 * The link writes of Coralogix cases (DESIGN 5c) through the one link machine
 * (src/links/machine.ts), exactly as incidents' (src/links/writes.ts): the
 * same lock (shared with the incident family: both write the same OneUptime
 * incidents), fresh reads under it, honest partial answers. The link field
 * holds the case UUID: callers resolve a readable id (`CASE-12`) through the
 * case loader before they call these.
 */
import type { CacheTags } from '../sharedCache/cacheTags.js';
import type { CaseLoaders } from '../upstreams/coralogix/cases/loaders.js';
import type { Case } from '../upstreams/coralogix/cases/types.js';
import type { OneUptimeLoaders } from '../upstreams/oneuptime/loaders.js';
import type { Links } from './index.js';
import {
  ensure,
  link,
  unlink,
  type LinkMachineContext,
  type NewIncidentChoice,
} from './machine.js';
import type { CaseLinkPayload, LinkResult } from './types.js';

export interface CaseLinkWriteContext {
  cases: CaseLoaders;
  oneuptime: OneUptimeLoaders;
  caseLinks: Links<Case>;
  cacheTags: CacheTags;
  signal?: AbortSignal | undefined;
}

const cases = (ctx: CaseLinkWriteContext): LinkMachineContext<Case> => ({
  oneuptime: ctx.oneuptime,
  links: ctx.caseLinks,
  cacheTags: ctx.cacheTags,
  record: (id) => ctx.cases.case.load(id),
  signal: ctx.signal,
});

const payload = (result: LinkResult<Case>): CaseLinkPayload => ({
  case: result.record,
  oneUptimeIncident: result.oneUptimeIncident,
  created: result.created,
  unlinked: result.unlinked,
});

/** `caseUuid`: the case's UUID (lower-case), never its readable id. */
export const linkCase = async (ctx: CaseLinkWriteContext, caseUuid: string, oneUptimeId: string) =>
  payload(await link(cases(ctx), caseUuid, oneUptimeId));

export const unlinkCase = async (ctx: CaseLinkWriteContext, caseUuid: string) =>
  payload(await unlink(cases(ctx), caseUuid));

export const ensureOneUptimeIncidentForCase = async (
  ctx: CaseLinkWriteContext,
  caseUuid: string,
  choice: NewIncidentChoice,
) => payload(await ensure(cases(ctx), caseUuid, choice));
