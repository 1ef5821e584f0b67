/**
 * The link machine (DESIGN 5a, STYLE 17): link, unlink and ensure for any
 * family of Coralogix records (src/links/family.ts says which).
 *
 * Every write holds the link lock (src/links/lock.ts) on the family's key of
 * the Coralogix id and on every OneUptime incident whose custom fields it
 * changes, and reads OneUptime afresh under it (never a cached link). So two
 * writes through any replica never both see "not linked": one link persists,
 * and every success answer describes what was persisted (read back after the
 * write). A failure after a write says what was applied (`extensions.applied`)
 * and still drops the cached links it touched, on every replica.
 *
 * OneUptime's PUT writes the whole `customFields` value and has no conditional
 * update, so a write reads the incident just before its PUT and writes its
 * custom fields back with only the link key changed. What remains is one round
 * trip (from OneUptime answering that read to it receiving the PUT) in which
 * an edit made outside the gateway can still be overwritten; edits through the
 * gateway are serialised by the lock.
 */
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  readAfterWrite,
  restated,
} from '../errors.js';
import { TAG, type CacheTags } from '../sharedCache/cacheTags.js';
import type { OneUptimeLoaders } from '../upstreams/oneuptime/loaders.js';
import type { OneUptimeIncidentRecord } from '../upstreams/oneuptime/resources.js';
import type { Links } from './index.js';
import { answerLost, findLanded } from './landed.js';
import { linkedIds } from './loader.js';
import { oneUptimeLockKey, type LockKey } from './lock.js';
import type { Link, LinkResult } from './types.js';

export interface LinkMachineContext<R> {
  oneuptime: OneUptimeLoaders;
  links: Links<R>;
  cacheTags: CacheTags;
  /** The Coralogix record of the family, or null when it does not exist. */
  record(id: string): Promise<R | null>;
  /** The request's: a write stops waiting for the lock when the client goes away. */
  signal?: AbortSignal | undefined;
}

export interface NewIncidentChoice {
  severityId?: string;
  stateId?: string;
}

const coralogixKey = <R>(ctx: LinkMachineContext<R>, id: string): LockKey => ({
  rank: 0,
  name: `${ctx.links.family.lockKeyPrefix}${id}`,
});

const named = (ids: readonly string[]) => ids.map((id) => `"${id}"`).join(', ');

async function recordOf<R>(ctx: LinkMachineContext<R>, id: string): Promise<R> {
  const record = await ctx.record(id);
  if (!record) {
    const { label, idName } = ctx.links.family;
    throw new NotFoundError(`No ${label} has id "${id}".`, { argumentName: `input.${idName}` });
  }
  return record;
}

/** A OneUptime incident as OneUptime has it now (the by-id cache of this request is skipped). */
function freshRow<R>(ctx: LinkMachineContext<R>, id: string) {
  ctx.oneuptime.incidentById.clear(id);
  return ctx.oneuptime.incidentById.load(id);
}

async function freshLink<R>(ctx: LinkMachineContext<R>, id: string): Promise<Link> {
  return (await ctx.links.fresh([id])).get(id) as Link;
}

/** A copy of a row's `customFields` object (none, or not an object: empty). */
function fieldsOf(row: OneUptimeIncidentRecord): Record<string, unknown> {
  const current = row.customFields;
  return typeof current === 'object' && current !== null && !Array.isArray(current)
    ? { ...(current as Record<string, unknown>) }
    : {};
}

/** `customFields` with the link key set to `id`, every other key kept. */
function withLink(row: OneUptimeIncidentRecord, field: string, id: string) {
  return { ...fieldsOf(row), [field]: id };
}

/**
 * `customFields` without `id` in the link key, every other key kept. A
 * multi-value link field (an array, see `linkedIds`) keeps the other ids it
 * names: unlinking one Coralogix id never unlinks another.
 */
function withoutLink(row: OneUptimeIncidentRecord, field: string, id: string) {
  const fields = fieldsOf(row);
  const value = fields[field];
  const rest = Array.isArray(value)
    ? value.filter((v) => typeof v !== 'string' || v.toLowerCase() !== id)
    : [];
  if (rest.length > 0) fields[field] = rest;
  else delete fields[field];
  return fields;
}

/** Records the write and drops the cached links it may have changed, on every replica. */
async function linksChanged<R>(ctx: LinkMachineContext<R>, id: string) {
  ctx.cacheTags.wrote(TAG.link(id));
  await ctx.links.invalidate([id]);
}

export function link<R>(
  ctx: LinkMachineContext<R>,
  coralogixId: string,
  oneUptimeId: string,
): Promise<LinkResult<R>> {
  const { family } = ctx.links;
  const id = coralogixId.toLowerCase();
  const keys = [coralogixKey(ctx, id), oneUptimeLockKey(oneUptimeId)];
  return ctx.links.lock.run(
    keys,
    async (lease) => {
      const [record, current] = await Promise.all([recordOf(ctx, id), freshLink(ctx, id)]);
      const other = current.claimants.find((claimant) => claimant !== oneUptimeId);
      if (other) {
        throw new ConflictError(
          `${family.label} "${id}" is already linked to OneUptime incident "${other}"; unlink it first.`,
          { [family.idName]: id, oneUptimeIncidentId: other },
        );
      }
      // Read just before the PUT: the custom fields written back are OneUptime's of now.
      const row = await freshRow(ctx, oneUptimeId);
      if (!row) {
        throw new NotFoundError(`No OneUptime incident has id "${oneUptimeId}".`, {
          argumentName: 'input.oneUptimeIncidentId',
        });
      }
      const owner = ctx.links.coralogixIdOf(row);
      if (owner && owner !== id) {
        throw new ConflictError(
          `OneUptime incident "${oneUptimeId}" is already linked to ${family.label} "${owner}"; unlink that first.`,
          { [family.idName]: owner, oneUptimeIncidentId: oneUptimeId },
        );
      }
      if (owner === id) return { record, oneUptimeIncident: row, created: false, unlinked: [] };
      await lease.confirm();
      try {
        await ctx.oneuptime.updateIncident(oneUptimeId, {
          customFields: withLink(row, family.field, id),
        });
      } finally {
        await linksChanged(ctx, id); // a PUT that failed may still have landed
      }
      const written = `${family.label} "${id}" was linked to OneUptime incident "${oneUptimeId}".`;
      const applied = { linkedOneUptimeIncidentId: oneUptimeId };
      const persisted = await readAfterWrite(() => freshRow(ctx, oneUptimeId), written, applied);
      if (!persisted || !linkedIds(persisted, family.field).includes(id)) {
        throw new ConflictError(
          `${written} Right after, its custom fields were changed outside the gateway and no longer name it: nothing is linked.`,
          { [family.idName]: id, oneUptimeIncidentId: oneUptimeId },
        );
      }
      return { record, oneUptimeIncident: persisted, created: false, unlinked: [] };
    },
    ctx.signal,
  );
}

export function unlink<R>(ctx: LinkMachineContext<R>, coralogixId: string): Promise<LinkResult<R>> {
  const { family } = ctx.links;
  const id = coralogixId.toLowerCase();
  return ctx.links.lock.run(
    [coralogixKey(ctx, id)],
    async (lease) => {
      const [record, current] = await Promise.all([recordOf(ctx, id), freshLink(ctx, id)]);
      if (current.claimants.length === 0) {
        return { record, oneUptimeIncident: null, created: false, unlinked: [] };
      }
      await lease.add(current.claimants.map(oneUptimeLockKey));
      const done: string[] = [];
      let writing: string | undefined;
      try {
        for (const claimant of current.claimants) {
          writing = claimant;
          // Read just before its PUT; a claimant gone or no longer naming the id needs none.
          const row = await freshRow(ctx, claimant);
          if (!row || !linkedIds(row, family.field).includes(id)) continue;
          await lease.confirm();
          await ctx.oneuptime.updateIncident(claimant, {
            customFields: withoutLink(row, family.field, id),
          });
          done.push(claimant);
        }
      } catch (error) {
        const before = done.length
          ? `Unlinking ${family.label} "${id}" stopped part way: the link was removed from OneUptime incident ${named(done)}, then removing it from "${writing}" failed.`
          : `Removing the link of ${family.label} "${id}" from OneUptime incident "${writing}" failed.`;
        throw restated(error, (message) => `${before} ${message} Unlinking again finishes it.`, {
          oneUptimeIncidentId: writing,
          applied: { unlinkedOneUptimeIncidentIds: done },
        });
      } finally {
        await linksChanged(ctx, id); // every PUT sent, even a failed one, may have landed
      }
      const unlinked = await readAfterWrite(
        async () =>
          (await Promise.all(done.map((claimant) => freshRow(ctx, claimant)))).filter(
            (row): row is OneUptimeIncidentRecord => row !== null,
          ),
        `The link of ${family.label} "${id}" was removed from OneUptime incident ${named(done)}.`,
        { unlinkedOneUptimeIncidentIds: done },
      );
      return { record, oneUptimeIncident: unlinked[0] ?? null, created: false, unlinked };
    },
    ctx.signal,
  );
}

export function ensure<R>(
  ctx: LinkMachineContext<R>,
  coralogixId: string,
  choice: NewIncidentChoice,
): Promise<LinkResult<R>> {
  const { family } = ctx.links;
  const id = coralogixId.toLowerCase();
  return ctx.links.lock.run(
    [coralogixKey(ctx, id)],
    async (lease) => {
      const [record, current] = await Promise.all([recordOf(ctx, id), freshLink(ctx, id)]);
      if (current.oneUptimeIncidentId) {
        // Read with the link a moment ago (it primed the by-id loader).
        const row = await ctx.oneuptime.incidentById.load(current.oneUptimeIncidentId);
        return { record, oneUptimeIncident: row, created: false, unlinked: [] };
      }
      const [severities, states] = await Promise.all([
        ctx.oneuptime.severities.load('all'),
        ctx.oneuptime.states.load('all'),
      ]);
      const severity = choice.severityId
        ? severities.find((s) => s._id === choice.severityId)
        : family.severity(record, severities);
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
          { argumentName: 'input.stateId' },
        );
      }
      await lease.confirm();
      let created: OneUptimeIncidentRecord;
      try {
        created = await ctx.oneuptime.createIncident({
          ...family.describe(record),
          incidentSeverityId: severity._id,
          ...(choice.stateId ? { currentIncidentStateId: choice.stateId } : {}),
          customFields: { [family.field]: id },
        });
      } catch (error) {
        if (!answerLost(error)) throw error;
        created = await findLanded(ctx.links, ctx.oneuptime, id, error);
      } finally {
        await linksChanged(ctx, id);
      }
      return { record, oneUptimeIncident: created, created: true, unlinked: [] };
    },
    ctx.signal,
  );
}
