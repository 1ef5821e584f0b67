/**
 * The link writes (DESIGN 5a). OneUptime's `PUT` writes the whole
 * `customFields` value, so each write reads the incident's custom fields
 * first and writes them back with only the link key changed. Every check
 * reads OneUptime afresh (never a cached link) before anything is written.
 */
import { BadUserInputError, ConflictError, NotFoundError, NotLinkedError } from '../errors.js';
import { TAG, type CacheTags } from '../sharedCache/cacheTags.js';
import type { CoralogixLoaders } from '../upstreams/coralogix/incidents/loaders.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type { OneUptimeLoaders } from '../upstreams/oneuptime/loaders.js';
import type {
  IncidentSeverityRecord,
  OneUptimeIncidentRecord,
} from '../upstreams/oneuptime/resources.js';
import type { Links } from './index.js';
import type { Link, LinkPayload } from './types.js';

export interface LinkWriteContext {
  coralogix: CoralogixLoaders;
  oneuptime: OneUptimeLoaders;
  links: Links;
  cacheTags: CacheTags;
}

/** How long a second `ensureOneUptimeIncident` for one id waits for the first. */
const ENSURE_WAIT_MS = 30_000;

async function coralogixIncident(ctx: LinkWriteContext, id: string): Promise<Incident> {
  const incident = await ctx.coralogix.incident.load(id);
  if (!incident) {
    throw new NotFoundError(`No Coralogix incident has id "${id}".`, {
      argumentName: 'input.incidentId',
    });
  }
  return incident;
}

/** A OneUptime incident as OneUptime has it now (the by-id cache of this request is skipped). */
async function freshOneUptimeIncident(ctx: LinkWriteContext, id: string) {
  ctx.oneuptime.incidentById.clear(id);
  return ctx.oneuptime.incidentById.load(id);
}

async function freshLink(ctx: LinkWriteContext, coralogixId: string): Promise<Link> {
  return (await ctx.links.fresh([coralogixId])).get(coralogixId.toLowerCase()) as Link;
}

/** `customFields` with the link key set (or removed), every other key kept. */
function withLink(row: OneUptimeIncidentRecord, field: string, value: string | undefined) {
  const current = row.customFields;
  const fields =
    typeof current === 'object' && current !== null && !Array.isArray(current)
      ? { ...(current as Record<string, unknown>) }
      : {};
  if (value === undefined) delete fields[field];
  else fields[field] = value;
  return fields;
}

/** Records the write and drops the cached links it changes, on every replica. */
async function linksChanged(ctx: LinkWriteContext, coralogixIds: readonly string[]) {
  for (const id of coralogixIds) ctx.cacheTags.wrote(TAG.link(id.toLowerCase()));
  await ctx.links.invalidate(coralogixIds);
}

export async function linkIncident(
  ctx: LinkWriteContext,
  coralogixId: string,
  oneUptimeId: string,
): Promise<LinkPayload> {
  const [incident, row] = await Promise.all([
    coralogixIncident(ctx, coralogixId),
    freshOneUptimeIncident(ctx, oneUptimeId),
  ]);
  if (!row) {
    throw new NotFoundError(`No OneUptime incident has id "${oneUptimeId}".`, {
      argumentName: 'input.oneUptimeIncidentId',
    });
  }
  const link = await freshLink(ctx, coralogixId);
  const others = link.claimants.filter((id) => id !== oneUptimeId);
  if (others.length > 0) {
    throw new ConflictError(
      `Coralogix incident "${coralogixId}" is already linked to OneUptime incident "${others[0]}"; unlink it first.`,
      { incidentId: coralogixId, oneUptimeIncidentId: others[0] },
    );
  }
  const named = ctx.links.coralogixIdOf(row);
  if (named && named !== coralogixId) {
    throw new ConflictError(
      `OneUptime incident "${oneUptimeId}" is already linked to Coralogix incident "${named}"; unlink that first.`,
      { incidentId: named, oneUptimeIncidentId: oneUptimeId },
    );
  }
  if (named === coralogixId) return { incident, oneUptimeIncident: row, created: false };
  await ctx.oneuptime.updateIncident(oneUptimeId, {
    customFields: withLink(row, ctx.links.field, coralogixId),
  });
  await linksChanged(ctx, [coralogixId]);
  return {
    incident,
    oneUptimeIncident: await freshOneUptimeIncident(ctx, oneUptimeId),
    created: false,
  };
}

export async function unlinkIncident(
  ctx: LinkWriteContext,
  coralogixId: string,
): Promise<LinkPayload> {
  const incident = await coralogixIncident(ctx, coralogixId);
  const link = await freshLink(ctx, coralogixId);
  const unlinked: OneUptimeIncidentRecord[] = [];
  for (const id of link.claimants) {
    const row = await freshOneUptimeIncident(ctx, id);
    if (!row) continue;
    await ctx.oneuptime.updateIncident(id, {
      customFields: withLink(row, ctx.links.field, undefined),
    });
    unlinked.push(row);
  }
  if (link.claimants.length > 0) await linksChanged(ctx, [coralogixId]);
  const first = unlinked[0];
  return {
    incident,
    oneUptimeIncident: first ? await freshOneUptimeIncident(ctx, first._id) : null,
    created: false,
  };
}

/**
 * DESIGN 5a: the project's severity whose name matches the Coralogix one
 * (case-insensitive), else the one with the highest `order`.
 */
export function defaultSeverity(
  incident: Incident,
  severities: readonly IncidentSeverityRecord[],
): IncidentSeverityRecord | undefined {
  const name = incident.severity.replace(/^INCIDENT_SEVERITY_/, '').toLowerCase();
  const match = severities.find((s) => (s.name ?? '').trim().toLowerCase() === name);
  if (match) return match;
  return [...severities].sort((a, b) => (b.order ?? 0) - (a.order ?? 0))[0];
}

export async function ensureOneUptimeIncident(
  ctx: LinkWriteContext,
  coralogixId: string,
  choice: { severityId?: string; stateId?: string },
): Promise<LinkPayload> {
  return ctx.links.lock.run(
    coralogixId.toLowerCase(),
    async () => {
      const incident = await coralogixIncident(ctx, coralogixId);
      const link = await freshLink(ctx, coralogixId);
      if (link.oneUptimeIncidentId) {
        const row = await freshOneUptimeIncident(ctx, link.oneUptimeIncidentId);
        return { incident, oneUptimeIncident: row, created: false };
      }
      const [severities, states] = await Promise.all([
        ctx.oneuptime.severities.load('all'),
        ctx.oneuptime.states.load('all'),
      ]);
      const severity = choice.severityId
        ? severities.find((s) => s._id === choice.severityId)
        : defaultSeverity(incident, severities);
      if (!severity) {
        throw new BadUserInputError(
          choice.severityId
            ? `The OneUptime project has no incident severity "${choice.severityId}".`
            : 'The OneUptime project has no incident severities to choose from.',
          { argumentName: 'input.severityId' },
        );
      }
      if (choice.stateId && !states.some((s) => s._id === choice.stateId)) {
        throw new BadUserInputError(
          `The OneUptime project has no incident state "${choice.stateId}".`,
          {
            argumentName: 'input.stateId',
          },
        );
      }
      const created = await ctx.oneuptime.createIncident({
        title: incident.name || `Coralogix incident ${incident.id}`,
        ...(incident.description ? { description: incident.description } : {}),
        incidentSeverityId: severity._id,
        ...(choice.stateId ? { currentIncidentStateId: choice.stateId } : {}),
        customFields: { [ctx.links.field]: incident.id.toLowerCase() },
      });
      await linksChanged(ctx, [coralogixId]);
      return { incident, oneUptimeIncident: created, created: true };
    },
    ENSURE_WAIT_MS,
  );
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
    if (!(await freshOneUptimeIncident(ctx, target.oneUptimeId))) {
      throw new NotFoundError(`No OneUptime incident has id "${target.oneUptimeId}".`, {
        argumentName: 'input.oneUptimeIncidentId',
      });
    }
    return target.oneUptimeId;
  }
  const link = await freshLink(ctx, target.coralogixId);
  if (!link.oneUptimeIncidentId) {
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
