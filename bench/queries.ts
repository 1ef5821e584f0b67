/**
 * The four benchmark queries, each written twice: once for this gateway's
 * schema and once for the graph GraphQL Mesh builds from the OpenAPI documents
 * (`src/sandbox/openapi/`). Both answers are reduced to one canonical shape so
 * the bench can prove every target returns the same data before timing it.
 *
 * Floors (DESIGN §9): a query needs at least one upstream call per resource
 * per level (× ceil(keys / 100)), and its critical path is its number of
 * sequential upstream round trips × the injected latency.
 */

export type QueryId = 'single' | 'list' | 'timeline' | 'atRisk';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

export interface Floors {
  /** Fewest upstream calls, by the DESIGN §9 formula. */
  calls: number;
  /** Sequential upstream round trips (levels of the query). */
  levels: number;
  /** Fewest calls when OneUptime rows come 100 per page, as the gateway asks for. */
  pagedCalls: number;
  /** Round trips when a batch of more than 100 rows needs a second, dependent page. */
  pagedLevels: number;
  /** How the floor was derived, for the report. */
  explain: string;
}

export interface BenchQuery {
  id: QueryId;
  title: string;
  /** Whether the query joins across the two upstreams (the naive-baseline target applies). */
  join: boolean;
  gateway: GraphQLRequest;
  mesh: GraphQLRequest;
  /** Canonical data from this gateway's response `data`. */
  fromGateway(data: unknown): unknown;
  /** Canonical data from the Mesh response `data`. */
  fromMesh(data: unknown): unknown;
  floors(canonical: unknown): Floors;
}

const PAGE = 100;
const ceilDiv = (n: number, d: number) => Math.max(1, Math.ceil(n / d));

// ------------------------------------------------------------------ helpers

type Json = Record<string, unknown>;

function obj(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected an object, got ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  return value as Json;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new Error(`${where}: expected a list, got ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  return value;
}

/** Coralogix enum names (`INCIDENT_SEVERITY_CRITICAL`) and GraphQL ones (`CRITICAL`) alike. */
function enumValue(value: unknown, prefix: string): unknown {
  return typeof value === 'string' && value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

/** A date as one instant, whether it came plain or in a OneUptime `{_type, value}` envelope. */
function instant(value: unknown): string | null {
  const raw = typeof value === 'object' && value !== null ? (value as Json).value : value;
  if (raw === null || raw === undefined) return null;
  return new Date(String(raw)).toISOString();
}

/** An id, plain or in an envelope. */
function idOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as Json).value : value;
}

function userId(value: unknown, field: 'id' | 'userId'): unknown {
  return value === null || value === undefined ? null : obj(value, 'user')[field];
}

function assignments(value: unknown, field: 'id' | 'userId') {
  return list(value, 'assignments').map((a) => {
    const assignment = obj(a, 'assignment');
    return { to: userId(assignment.assignedTo, field), by: userId(assignment.assignedBy, field) };
  });
}

function incidentCore(raw: unknown) {
  const incident = obj(raw, 'incident');
  return {
    id: incident.id,
    name: incident.name,
    severity: enumValue(incident.severity, 'INCIDENT_SEVERITY_'),
    status: enumValue(incident.status, 'INCIDENT_STATUS_'),
  };
}

/** Gateway `statusText` and Mesh `status` are both the OneUptime string ("At Risk"). */
function sla(raw: unknown, shape: 'gateway' | 'mesh') {
  const row = obj(raw, 'sla');
  return {
    id: shape === 'gateway' ? row.id : row._id,
    status: shape === 'gateway' ? row.statusText : row.status,
    responseDeadline: instant(row.responseDeadline),
    resolutionDeadline: instant(row.resolutionDeadline),
  };
}

function timelineEntry(raw: unknown, shape: 'gateway' | 'mesh') {
  const row = obj(raw, 'stateTimeline');
  return {
    id: shape === 'gateway' ? row.id : row._id,
    incidentStateId: idOf(row.incidentStateId),
    startsAt: instant(row.startsAt),
    endsAt: instant(row.endsAt),
    rootCause: row.rootCause ?? null,
  };
}

const edges = (connection: unknown, where: string) =>
  list(obj(connection, where).edges, `${where}.edges`).map((edge) => obj(edge, 'edge').node);

// ------------------------------------------------------------------ queries

const INCIDENT_FIELDS_GATEWAY = `id name severity status`;

export function benchQueries(singleIncidentId: string): BenchQuery[] {
  return [
    {
      id: 'single',
      title: 'single incident (with events)',
      join: false,
      gateway: {
        query: `query Single($id: ID!) {
  incident(id: $id) {
    ${INCIDENT_FIELDS_GATEWAY} description state createdAt duration
    assignments { assignedTo { id } assignedBy { id } }
    events { id type }
  }
}`,
        variables: { id: singleIncidentId },
      },
      mesh: {
        query: `query Single($id: String!) {
  getIncident(id: $id) {
    incident {
      ${INCIDENT_FIELDS_GATEWAY} description state createdAt duration
      assignments { assignedTo { userId } assignedBy { userId } }
      events { id incidentEventType }
    }
  }
}`,
        variables: { id: singleIncidentId },
      },
      fromGateway(data) {
        const incident = obj(obj(data, 'data').incident, 'incident');
        return {
          ...incidentCore(incident),
          description: incident.description ?? null,
          state: incident.state,
          createdAt: instant(incident.createdAt),
          duration: incident.duration,
          assignments: assignments(incident.assignments, 'id'),
          events: list(incident.events, 'events').map((e) => {
            const event = obj(e, 'event');
            return { id: event.id, type: event.type };
          }),
        };
      },
      fromMesh(data) {
        const incident = obj(
          obj(obj(data, 'data').getIncident, 'getIncident').incident,
          'incident',
        );
        return {
          ...incidentCore(incident),
          description: incident.description ?? null,
          state: enumValue(incident.state, 'INCIDENT_STATE_'),
          createdAt: instant(incident.createdAt),
          duration: incident.duration,
          assignments: assignments(incident.assignments, 'userId'),
          events: list(incident.events, 'events').map((e) => {
            const event = obj(e, 'event');
            return {
              id: event.id,
              type: enumValue(event.incidentEventType, 'INCIDENT_EVENT_TYPE_'),
            };
          }),
        };
      },
      floors: () => ({
        calls: 1,
        levels: 1,
        pagedCalls: 1,
        pagedLevels: 1,
        explain: '1 Coralogix read',
      }),
    },
    {
      id: 'list',
      title: 'list of 50 with assignments',
      join: false,
      gateway: {
        query: `query List {
  incidents(first: 50) {
    totalCount
    edges { node { ${INCIDENT_FIELDS_GATEWAY} createdAt assignments { assignedTo { id } assignedBy { id } } } }
  }
}`,
      },
      mesh: {
        query: `query List {
  listIncidents(input: { pagination: { pageSize: 50 } }) {
    pagination { totalSize }
    incidents { ${INCIDENT_FIELDS_GATEWAY} createdAt assignments { assignedTo { userId } assignedBy { userId } } }
  }
}`,
      },
      fromGateway(data) {
        const connection = obj(obj(data, 'data').incidents, 'incidents');
        return {
          total: connection.totalCount,
          incidents: edges(connection, 'incidents').map((node) => ({
            ...incidentCore(node),
            createdAt: instant(obj(node, 'node').createdAt),
            assignments: assignments(obj(node, 'node').assignments, 'id'),
          })),
        };
      },
      fromMesh(data) {
        const page = obj(obj(data, 'data').listIncidents, 'listIncidents');
        return {
          total: obj(page.pagination, 'pagination').totalSize,
          incidents: list(page.incidents, 'incidents').map((node) => ({
            ...incidentCore(node),
            createdAt: instant(obj(node, 'node').createdAt),
            assignments: assignments(obj(node, 'node').assignments, 'userId'),
          })),
        };
      },
      floors: () => ({
        calls: 1,
        levels: 1,
        pagedCalls: 1,
        pagedLevels: 1,
        explain: '1 Coralogix list (the assignments are embedded in each incident)',
      }),
    },
    {
      id: 'timeline',
      title: 'list of 50 with state timeline + SLAs',
      join: true,
      gateway: {
        query: `query Timeline {
  incidents(first: 50) {
    edges {
      node {
        ${INCIDENT_FIELDS_GATEWAY}
        stateTimeline { id incidentStateId startsAt endsAt rootCause }
        slas { id statusText responseDeadline resolutionDeadline }
      }
    }
  }
}`,
      },
      mesh: {
        query: `query Timeline {
  listIncidents(input: { pagination: { pageSize: 50 } }) {
    incidents {
      ${INCIDENT_FIELDS_GATEWAY}
      stateTimeline { _id incidentStateId { value } startsAt { value } endsAt { value } rootCause }
      slas { _id status responseDeadline { value } resolutionDeadline { value } }
    }
  }
}`,
      },
      fromGateway(data) {
        return edges(obj(data, 'data').incidents, 'incidents').map((raw) => {
          const node = obj(raw, 'node');
          return {
            ...incidentCore(node),
            stateTimeline: list(node.stateTimeline, 'stateTimeline').map((t) =>
              timelineEntry(t, 'gateway'),
            ),
            slas: list(node.slas, 'slas').map((s) => sla(s, 'gateway')),
          };
        });
      },
      fromMesh(data) {
        const page = obj(obj(data, 'data').listIncidents, 'listIncidents');
        return list(page.incidents, 'incidents').map((raw) => {
          const node = obj(raw, 'incident');
          return {
            ...incidentCore(node),
            stateTimeline: list(node.stateTimeline, 'stateTimeline').map((t) =>
              timelineEntry(t, 'mesh'),
            ),
            slas: list(node.slas, 'slas').map((s) => sla(s, 'mesh')),
          };
        });
      },
      floors(canonical) {
        const incidents = list(canonical, 'incidents') as Array<{
          stateTimeline: unknown[];
          slas: unknown[];
        }>;
        const keys = incidents.length;
        const timelineRows = incidents.reduce((n, i) => n + i.stateTimeline.length, 0);
        const slaRows = incidents.reduce((n, i) => n + i.slas.length, 0);
        const chunks = ceilDiv(keys, PAGE);
        const paged = ceilDiv(timelineRows, PAGE) + ceilDiv(slaRows, PAGE);
        return {
          calls: 1 + 2 * chunks,
          levels: 2,
          pagedCalls: 1 + Math.max(paged, 2 * chunks),
          pagedLevels: timelineRows > PAGE || slaRows > PAGE ? 3 : 2,
          explain: `1 Coralogix list, then 1 OneUptime get-list per resource for ${keys} incident ids (${timelineRows} timeline rows, ${slaRows} SLA rows)`,
        };
      },
    },
    {
      id: 'atRisk',
      title: 'SLAs at risk with their incidents',
      join: true,
      gateway: {
        query: `query AtRisk {
  incidentSlas(first: 50, filter: { statuses: [AT_RISK] }) {
    totalCount
    edges {
      node {
        id statusText responseDeadline resolutionDeadline
        incident { ${INCIDENT_FIELDS_GATEWAY} }
      }
    }
  }
}`,
      },
      mesh: {
        query: `query AtRisk {
  listIncidentSlas(
    limit: 50
    input: {
      query: { status: ["At Risk"] }
      select: { incidentId: true, status: true, responseDeadline: true, resolutionDeadline: true }
      sort: { createdAt: DESC }
    }
  ) {
    count
    data {
      _id status responseDeadline { value } resolutionDeadline { value }
      incident { ${INCIDENT_FIELDS_GATEWAY} }
    }
  }
}`,
      },
      fromGateway(data) {
        const connection = obj(obj(data, 'data').incidentSlas, 'incidentSlas');
        return {
          total: connection.totalCount,
          slas: edges(connection, 'incidentSlas').map((raw) => ({
            ...sla(raw, 'gateway'),
            incident: incidentCore(obj(raw, 'node').incident),
          })),
        };
      },
      fromMesh(data) {
        const page = obj(obj(data, 'data').listIncidentSlas, 'listIncidentSlas');
        return {
          total: page.count,
          slas: list(page.data, 'data').map((raw) => ({
            ...sla(raw, 'mesh'),
            incident: incidentCore(obj(raw, 'sla').incident),
          })),
        };
      },
      floors(canonical) {
        const { slas } = obj(canonical, 'atRisk') as { slas: Array<{ incident: { id: unknown } }> };
        const keys = new Set(slas.map((s) => s.incident.id)).size;
        return {
          calls: 1 + ceilDiv(keys, PAGE),
          levels: 2,
          pagedCalls: 1 + ceilDiv(keys, PAGE),
          pagedLevels: 2,
          explain: `1 OneUptime get-list, then 1 Coralogix batchGet for ${keys} distinct incident ids`,
        };
      },
    },
  ];
}

/** Where two canonical answers first differ, or undefined when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const diff = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (diff) return diff;
    }
    return undefined;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const diff = firstDifference((a as Json)[key], (b as Json)[key], `${path}.${key}`);
      if (diff) return diff;
    }
    return undefined;
  }
  return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}
