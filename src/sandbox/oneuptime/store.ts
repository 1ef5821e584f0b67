/**
 * In-memory tables: rows by `_id`, plus an index by `incidentId` so the
 * gateway's `{"incidentId": [ids…]}` batch queries do not scan everything.
 */
import type { EmulatedResource } from './models.js';
import type { IncidentStateDef, SeedData } from '../seed.js';

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

export interface Database {
  readonly tables: Readonly<Record<EmulatedResource, Table>>;
  readonly projectId: string;
  readonly incidentStates: ReadonlyMap<string, IncidentStateDef>;
}

const toRows = <T extends { _id: string }>(records: readonly T[]): Row[] =>
  structuredClone(records).map((record) => ({ ...record }));

/** A fresh copy of the seeded data; the seed object itself is never mutated. */
export function loadDatabase(seed: SeedData): Database {
  return {
    tables: {
      'incident-state-timeline': new Table(toRows(seed.stateTimelines)),
      'incident-role': new Table(toRows(seed.roles)),
      'incident-sla': new Table(toRows(seed.slas)),
    },
    projectId: seed.projectId,
    incidentStates: new Map(seed.incidentStates.map((state) => [state.id, { ...state }])),
  };
}
