/**
 * In-memory tables: rows by `_id`, plus an index by `incidentId` so the
 * gateway's `{"incidentId": [ids…]}` batch queries do not scan everything.
 */
import { EMULATED_RESOURCES, type EmulatedResource } from './schema.js';
import type { SeedData, SeedUser } from '../seedTypes.js';

/** A stored record: plain values (ISO dates, lower-case uuids); absent columns read as null. */
export type Row = { _id: string } & Record<string, unknown>;

export class Table {
  private readonly rows = new Map<string, Row>();
  private readonly byIncident = new Map<string, Set<string>>();

  constructor(rows: Iterable<Row>) {
    for (const row of rows) this.insert(row);
  }

  get(id: string): Row | undefined {
    return this.rows.get(id);
  }

  values(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** Rows of one incident, in insertion order. */
  forIncident(incidentId: string): Row[] {
    const ids = this.byIncident.get(incidentId);
    if (!ids) return [];
    const out: Row[] = [];
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row) out.push(row);
    }
    return out;
  }

  insert(row: Row): void {
    this.rows.set(row._id, row);
    this.index(row);
  }

  /** Applies changes in place, keeping the incident index (and its insertion order) right. */
  patch(row: Row, changes: Record<string, unknown>): void {
    const moves = 'incidentId' in changes && changes.incidentId !== row.incidentId;
    if (moves) this.unindex(row);
    Object.assign(row, changes);
    if (moves) this.index(row);
  }

  delete(id: string): void {
    const row = this.rows.get(id);
    if (!row) return;
    this.unindex(row);
    this.rows.delete(id);
  }

  private index(row: Row): void {
    if (typeof row.incidentId !== 'string') return;
    let ids = this.byIncident.get(row.incidentId);
    if (!ids) this.byIncident.set(row.incidentId, (ids = new Set()));
    ids.add(row._id);
  }

  private unindex(row: Row): void {
    if (typeof row.incidentId !== 'string') return;
    const ids = this.byIncident.get(row.incidentId);
    ids?.delete(row._id);
    if (ids?.size === 0) this.byIncident.delete(row.incidentId);
  }
}

/**
 * How a foreign-key violation reaches the client. `translated`: 400 with
 * `PostgresErrorTranslator`'s message, as servers do since release 11.7.2
 * (commit 34d6ed2353, `Common/Server/Utils/Database/PostgresErrorTranslator.ts`
 * at ab6f409), together with the reference checks of release 12.0.3
 * (`ProjectScopedReferenceValidator.ts`). `serverError`: the bare 500
 * `{"error":"Server Error"}` of older releases, with no reference checks.
 */
export type ForeignKeyErrors = 'translated' | 'serverError';

export interface Database {
  readonly tables: Readonly<Record<EmulatedResource, Table>>;
  readonly projectId: string;
  /** Users and SLA rules exist only as ids a foreign key can point at. */
  readonly users: ReadonlyMap<string, SeedUser>;
  readonly slaRuleIds: ReadonlySet<string>;
  /** The project's incident counter (`ProjectService.incrementAndGetIncidentCounter`). */
  incidentCounter: number;
  readonly foreignKeyErrors: ForeignKeyErrors;
}

const toRows = <T extends { _id: string }>(records: readonly T[]): Row[] =>
  structuredClone(records).map((record) => ({ ...record }));

function seededRows(seed: SeedData, resource: EmulatedResource): Row[] {
  switch (resource) {
    case 'incident':
      return toRows(seed.oneUptimeIncidents);
    case 'incident-state':
      return toRows(seed.incidentStates.map(({ id: _alias, ...row }) => row));
    case 'incident-severity':
      return toRows(seed.incidentSeverities);
    case 'incident-state-timeline':
      return toRows(seed.stateTimelines);
    case 'incident-role':
      return toRows(seed.roles);
    case 'incident-sla':
      return toRows(seed.slas);
    case 'incident-member':
      return toRows(seed.members);
  }
}

/** A fresh copy of the seeded data; the seed object itself is never mutated. */
export function loadDatabase(seed: SeedData, foreignKeyErrors: ForeignKeyErrors): Database {
  const tables = Object.fromEntries(
    EMULATED_RESOURCES.map((resource) => [resource, new Table(seededRows(seed, resource))]),
  ) as Record<EmulatedResource, Table>;
  return {
    tables,
    projectId: seed.projectId,
    users: new Map(seed.users.map((user) => [user.id, { ...user }])),
    slaRuleIds: new Set(seed.slaRuleIds),
    incidentCounter: Math.max(0, ...seed.oneUptimeIncidents.map((i) => i.incidentNumber)),
    foreignKeyErrors,
  };
}
