/**
 * The five benchmark queries, each written twice: once for this gateway's
 * schema and once for the graph GraphQL Mesh builds from the OpenAPI documents
 * (`src/sandbox/openapi/`, composed by `mesh/mesh.config.ts`). Both answers are
 * reduced to one canonical shape so the bench can prove every target returns
 * the same data before timing it.
 *
 * Floors (DESIGN §9, §5a): a query needs at least one upstream call per
 * resource per level, × ceil(keys / 100) (ids per call) × ceil(rows / 1000)
 * (OneUptime rows per page), and its critical path is its number of
 * sequential upstream round trips. The joins go through the cross-vendor
 * link: cold (the link is not cached: one more call and one more level, the
 * OneUptime incident `get-list` by custom field) or warm (the gateway's link
 * cache answers, so that call is skipped). The reverse join (a OneUptime row
 * to its Coralogix incident) reads the OneUptime incident's custom field
 * whether or not links are cached, so its floor is the same cold and warm.
 *
 * A query added to `benchQueries` (the Cases screens next) is checked, timed
 * at both latencies and at saturation, soaked, and selectable with BENCH_ONLY
 * by its id, with no other change to the bench.
 */

export type QueryId = 'single' | 'list' | 'timeline' | 'breached' | 'cases';

/** Whether the gateway's link cache holds the links a query needs. */
export type LinkState = 'cold' | 'warm';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

export interface Floors {
  /** Fewest upstream calls, by the DESIGN §9 formula. */
  calls: number;
  /** Sequential upstream round trips (levels of the query). */
  levels: number;
  /** How the floor was derived, for the report. */
  explain: string;
}

export interface BenchQuery {
  id: QueryId;
  title: string;
  /** Whether the query joins across the two upstreams through the link (cold and warm differ, naive target applies). */
  join: boolean;
  gateway: GraphQLRequest;
  mesh: GraphQLRequest;
  /** Canonical data from this gateway's response `data`. */
  fromGateway(data: unknown): unknown;
  /** Canonical data from the Mesh response `data`. */
  fromMesh(data: unknown): unknown;
  floors(canonical: unknown, links: LinkState): Floors;
}

/** Ids per OneUptime IN query and per Coralogix batch (DESIGN §6: at most 100 ids per call). */
export const IDS_PER_CALL = 100;
/** OneUptime rows per `get-list` page (DESIGN §6; `PAGE_LIMIT` in src/upstreams/oneuptime/client.ts). */
export const ROWS_PER_PAGE = 1000;
/** ceil(n / d), and at least one call: an empty batch still costs its call. */
export const calls = (n: number, d: number) => Math.max(1, Math.ceil(n / d));
/** One OneUptime get-list per IN query: ceil(keys / 100) × ceil(rows / 1000). */
export const listCalls = (keys: number, rows: number) =>
  calls(keys, IDS_PER_CALL) * calls(rows, ROWS_PER_PAGE);

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
/** The link custom field of the sandbox's OneUptime project (`ONEUPTIME_LINK_FIELD`'s default). */
const MESH_LINK_FIELD = 'coralogixIncidentId';

/** The fields of a Coralogix case both graphs read (the wire names are the gateway's too). */
function caseCore(raw: unknown) {
  const item = obj(raw, 'case');
  return {
    id: item.id,
    readableId: item.readableId ?? null,
    title: item.title,
    status: enumValue(item.status, 'CASE_STATUS_'),
    priority: enumValue(item.priority, 'CASE_PRIORITY_'),
  };
}

/**
 * `incidentLinkedIds`: the OneUptime incidents the SLA query ('breached') is
 * scoped to, those linked to a Coralogix incident (up to 100, the gateway's
 * id filter bound). Both targets get the same `incidentId` list, so the
 * answers stay comparable when the project also has case-linked incidents.
 * Without it the query takes every SLA of the project.
 */
export function benchQueries(
  singleIncidentId: string,
  incidentLinkedIds: readonly string[] = [],
): BenchQuery[] {
  const scoped = incidentLinkedIds.length > 0;
  const idList = JSON.stringify(incidentLinkedIds);
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
      floors: () => ({ calls: 1, levels: 1, explain: '1 Coralogix batch get' }),
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
        explain: '1 Coralogix list (the assignments are embedded in each incident)',
      }),
    },
    {
      id: 'timeline',
      title: 'list of 50 with state timeline + SLAs (through the link)',
      join: true,
      gateway: {
        query: `query Timeline {
  incidents(first: 50) {
    edges {
      node {
        ${INCIDENT_FIELDS_GATEWAY} linkStatus
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
      oneUptimeIncidents {
        _id
        stateTimeline { _id incidentStateId { value } startsAt { value } endsAt { value } rootCause }
        slas { _id status responseDeadline { value } resolutionDeadline { value } }
      }
    }
  }
}`,
      },
      fromGateway(data) {
        return edges(obj(data, 'data').incidents, 'incidents').map((raw) => {
          const node = obj(raw, 'node');
          return {
            ...incidentCore(node),
            linkStatus: node.linkStatus,
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
          // Every OneUptime incident claiming this one, oldest first (the link hop's sort):
          // the oldest is the link (DESIGN 5a), several are a CONFLICT.
          const claimants = list(node.oneUptimeIncidents ?? [], 'oneUptimeIncidents');
          const linked = claimants[0] === undefined ? undefined : obj(claimants[0], 'claimant');
          return {
            ...incidentCore(node),
            linkStatus: linkStatus(claimants.length),
            stateTimeline: list(linked?.stateTimeline ?? [], 'stateTimeline').map((t) =>
              timelineEntry(t, 'mesh'),
            ),
            slas: list(linked?.slas ?? [], 'slas').map((s) => sla(s, 'mesh')),
          };
        });
      },
      floors(canonical, links) {
        const incidents = list(canonical, 'incidents') as Array<{
          linkStatus: string;
          stateTimeline: unknown[];
          slas: unknown[];
        }>;
        const linked = incidents.filter((i) => i.linkStatus !== 'NOT_LINKED').length;
        const timelineRows = incidents.reduce((n, i) => n + i.stateTimeline.length, 0);
        const slaRows = incidents.reduce((n, i) => n + i.slas.length, 0);
        // The link rows are one per claimant: at least one per linked incident.
        const link = links === 'cold' ? listCalls(incidents.length, linked) : 0;
        const joins = listCalls(linked, timelineRows) + listCalls(linked, slaRows);
        return {
          calls: 1 + link + joins,
          levels: links === 'cold' ? 3 : 2,
          explain:
            `1 Coralogix list; ${links === 'cold' ? `1 OneUptime incident get-list by custom field for ${incidents.length} Coralogix ids (the link, not cached); ` : 'the links of the 50 from the link cache; '}` +
            `then 1 OneUptime get-list per resource for ${linked} linked OneUptime incident ids (${timelineRows} timeline rows, ${slaRows} SLA rows)`,
        };
      },
    },
    {
      id: 'breached',
      title: 'SLAs breached or at risk, with their Coralogix incidents',
      join: true,
      gateway: {
        query: `query Breached {
  incidentSlas(first: 50, filter: { statuses: [AT_RISK, RESPONSE_BREACHED, RESOLUTION_BREACHED]${scoped ? `, oneUptimeIncidentIds: ${idList}` : ''} }) {
    totalCount
    edges {
      node {
        id statusText responseDeadline resolutionDeadline oneUptimeIncidentId
        incident { ${INCIDENT_FIELDS_GATEWAY} }
      }
    }
  }
}`,
      },
      mesh: {
        query: `query Breached {
  OneUptime_listIncidentSlas(
    limit: 50
    input: {
      query: { status: ["At Risk", "Response Breached", "Resolution Breached"]${scoped ? `, incidentId: ${idList}` : ''} }
      select: { incidentId: true, status: true, responseDeadline: true, resolutionDeadline: true }
      sort: { createdAt: DESC }
    }
  ) {
    count
    data {
      _id status responseDeadline { value } resolutionDeadline { value } incidentId { value }
      oneUptimeIncident {
        customFields { ${MESH_LINK_FIELD} }
        incident { ${INCIDENT_FIELDS_GATEWAY} }
      }
    }
  }
}`,
      },
      fromGateway(data) {
        const connection = obj(obj(data, 'data').incidentSlas, 'incidentSlas');
        return {
          total: connection.totalCount,
          slas: edges(connection, 'incidentSlas').map((raw) => {
            const node = obj(raw, 'node');
            return {
              ...sla(node, 'gateway'),
              oneUptimeIncidentId: node.oneUptimeIncidentId,
              incident: node.incident === null ? null : incidentCore(node.incident),
            };
          }),
        };
      },
      fromMesh(data) {
        const page = obj(obj(data, 'data').OneUptime_listIncidentSlas, 'listIncidentSlas');
        return {
          total: page.count,
          slas: list(page.data, 'data').map((raw) => {
            const row = obj(raw, 'sla');
            const incident = (row.oneUptimeIncident as Json | null | undefined)?.incident;
            return {
              ...sla(row, 'mesh'),
              oneUptimeIncidentId: idOf(row.incidentId),
              incident: incident === null || incident === undefined ? null : incidentCore(incident),
            };
          }),
        };
      },
      floors(canonical) {
        const { slas } = obj(canonical, 'breached') as {
          slas: Array<{ oneUptimeIncidentId: unknown; incident: { id: unknown } | null }>;
        };
        const oneUptimeIds = new Set(slas.map((s) => s.oneUptimeIncidentId)).size;
        const coralogixIds = new Set(slas.flatMap((s) => (s.incident ? [s.incident.id] : []))).size;
        return {
          calls:
            listCalls(1, slas.length) +
            listCalls(oneUptimeIds, oneUptimeIds) +
            calls(coralogixIds, IDS_PER_CALL),
          levels: 3,
          explain: `1 OneUptime SLA get-list (${slas.length} rows), 1 OneUptime incident get-list for their ${oneUptimeIds} incidents (their link custom field: the same cold or warm, the link cache maps the other way), then 1 Coralogix batch get for ${coralogixIds} distinct incident ids`,
        };
      },
    },
    {
      id: 'cases',
      title: 'a case screen: 50 cases with state timeline + SLAs (through the case link)',
      join: true,
      gateway: {
        query: `query CaseScreen {
  cases(first: 50) {
    edges {
      node {
        id readableId title status priority linkStatus
        stateTimeline { id incidentStateId startsAt endsAt rootCause }
        slas { id statusText responseDeadline resolutionDeadline }
      }
    }
  }
}`,
      },
      mesh: {
        query: `query CaseScreen {
  listCases(input: { pagination: { pageSize: 50 } }) {
    cases {
      id readableId title status priority
      oneUptimeIncidents {
        _id
        stateTimeline { _id incidentStateId { value } startsAt { value } endsAt { value } rootCause }
        slas { _id status responseDeadline { value } resolutionDeadline { value } }
      }
    }
  }
}`,
      },
      fromGateway(data) {
        return edges(obj(data, 'data').cases, 'cases').map((raw) => {
          const node = obj(raw, 'node');
          return {
            ...caseCore(node),
            linkStatus: node.linkStatus,
            stateTimeline: list(node.stateTimeline, 'stateTimeline').map((t) =>
              timelineEntry(t, 'gateway'),
            ),
            slas: list(node.slas, 'slas').map((s) => sla(s, 'gateway')),
          };
        });
      },
      fromMesh(data) {
        const page = obj(obj(data, 'data').listCases, 'listCases');
        return list(page.cases ?? [], 'cases').map((raw) => {
          const node = obj(raw, 'case');
          // Every OneUptime incident naming this case, oldest first: the oldest is the link.
          const claimants = list(node.oneUptimeIncidents ?? [], 'oneUptimeIncidents');
          const linked = claimants[0] === undefined ? undefined : obj(claimants[0], 'claimant');
          return {
            ...caseCore(node),
            linkStatus: linkStatus(claimants.length),
            stateTimeline: list(linked?.stateTimeline ?? [], 'stateTimeline').map((t) =>
              timelineEntry(t, 'mesh'),
            ),
            slas: list(linked?.slas ?? [], 'slas').map((s) => sla(s, 'mesh')),
          };
        });
      },
      floors(canonical, links) {
        const cases = list(canonical, 'cases') as Array<{
          linkStatus: string;
          stateTimeline: unknown[];
          slas: unknown[];
        }>;
        const linked = cases.filter((c) => c.linkStatus !== 'NOT_LINKED').length;
        const timelineRows = cases.reduce((n, c) => n + c.stateTimeline.length, 0);
        const slaRows = cases.reduce((n, c) => n + c.slas.length, 0);
        const link = links === 'cold' ? listCalls(cases.length, linked) : 0;
        const joins = listCalls(linked, timelineRows) + listCalls(linked, slaRows);
        return {
          calls: 1 + link + joins,
          levels: links === 'cold' ? 3 : 2,
          explain:
            `1 Coralogix ListCases (the cases come whole: no case GET); ${links === 'cold' ? `1 OneUptime incident get-list by the case custom field for ${cases.length} case ids (the case link, not cached); ` : 'the case links of the 50 from the link cache; '}` +
            `then 1 OneUptime get-list per resource for ${linked} linked OneUptime incident ids (${timelineRows} timeline rows, ${slaRows} SLA rows)`,
        };
      },
    },
  ];
}

/** LINKED / NOT_LINKED / CONFLICT from the number of OneUptime incidents claiming one Coralogix id. */
function linkStatus(claimants: number): string {
  return claimants === 0 ? 'NOT_LINKED' : claimants === 1 ? 'LINKED' : 'CONFLICT';
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
