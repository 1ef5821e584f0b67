/**
 * The link writes of Coralogix incidents (DESIGN 5a) through the link machine
 * (src/links/machine.ts), and the lookups other OneUptime writes make through
 * the link. Every check reads OneUptime afresh (never a cached link) before
 * anything is written.
 */
import { BadUserInputError, NotFoundError, NotLinkedError } from '../errors.js';
import type { CacheTags } from '../sharedCache/cacheTags.js';
import type { CoralogixLoaders } from '../upstreams/coralogix/incidents/loaders.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type { OneUptimeLoaders } from '../upstreams/oneuptime/loaders.js';
import type { Links } from './index.js';
import {
  ensure,
  link,
  unlink,
  type LinkMachineContext,
  type NewIncidentChoice,
} from './machine.js';
import type { LinkPayload, LinkResult } from './types.js';

export interface LinkWriteContext {
  coralogix: CoralogixLoaders;
  oneuptime: OneUptimeLoaders;
  links: Links<Incident>;
  cacheTags: CacheTags;
  signal?: AbortSignal | undefined;
}

const incidents = (ctx: LinkWriteContext): LinkMachineContext<Incident> => ({
  oneuptime: ctx.oneuptime,
  links: ctx.links,
  cacheTags: ctx.cacheTags,
  record: (id) => ctx.coralogix.incident.load(id),
  signal: ctx.signal,
});

const payload = (result: LinkResult<Incident>): LinkPayload => ({
  incident: result.record,
  oneUptimeIncident: result.oneUptimeIncident,
  created: result.created,
  unlinked: result.unlinked,
});

export const linkIncident = async (
  ctx: LinkWriteContext,
  coralogixId: string,
  oneUptimeId: string,
) => payload(await link(incidents(ctx), coralogixId, oneUptimeId));

export const unlinkIncident = async (ctx: LinkWriteContext, coralogixId: string) =>
  payload(await unlink(incidents(ctx), coralogixId));

export const ensureOneUptimeIncident = async (
  ctx: LinkWriteContext,
  coralogixId: string,
  choice: NewIncidentChoice,
) => payload(await ensure(incidents(ctx), coralogixId, choice));

async function coralogixIncident(ctx: LinkWriteContext, id: string): Promise<Incident> {
  const incident = await ctx.coralogix.incident.load(id);
  if (!incident) {
    throw new NotFoundError(`No Coralogix incident has id "${id}".`, {
      argumentName: 'input.incidentId',
    });
  }
  return incident;
}

/**
 * The OneUptime incident a write goes to: the one given, which must exist, or
 * the one linked to the given Coralogix incident (read afresh; NOT_LINKED when
 * there is none). Nothing is written here.
 */
export async function writeTarget(
  ctx: LinkWriteContext,
  target: { coralogixId: string } | { oneUptimeId: string },
): Promise<string> {
  if ('oneUptimeId' in target) {
    ctx.oneuptime.incidentById.clear(target.oneUptimeId);
    if (!(await ctx.oneuptime.incidentById.load(target.oneUptimeId))) {
      throw new NotFoundError(`No OneUptime incident has id "${target.oneUptimeId}".`, {
        argumentName: 'input.oneUptimeIncidentId',
      });
    }
    return target.oneUptimeId;
  }
  const id = target.coralogixId.toLowerCase();
  const link = (await ctx.links.fresh([id])).get(id);
  if (!link?.oneUptimeIncidentId) {
    await coralogixIncident(ctx, target.coralogixId);
    throw new NotLinkedError(target.coralogixId);
  }
  return link.oneUptimeIncidentId;
}

/** A state id of the OneUptime project (BAD_USER_INPUT otherwise), checked before a write. */
export async function checkStateId(ctx: LinkWriteContext, stateId: string, argumentName: string) {
  const states = await ctx.oneuptime.states.load('all');
  if (!states.some((state) => state._id === stateId)) {
    throw new BadUserInputError(`The OneUptime project has no incident state "${stateId}".`, {
      argumentName,
    });
  }
}
