/**
 * Every OneUptime resource the gateway reads, declared once: its columns with
 * their value kind and the GraphQL fields each one serves, and the list order.
 * The record types, the runtime shape check of each row, the `select` sets
 * and the field → column map of the selection pushdown are all derived from
 * this table, so adding a column is one line here.
 *
 * Columns and kinds follow OneUptime's models (`Common/Models/DatabaseModels/*.ts`
 * at ab6f40993700e5d472c23e52913ef2fe5d117f66); only what the schema shows is declared.
 */
import { s, type Infer, type Shape } from '../shape.js';

/** Value kinds after envelope decoding: ObjectID, Date and Color arrive as strings. */
const KIND_SHAPES = {
  id: s.string,
  date: s.string,
  color: s.string,
  text: s.string,
  bool: s.boolean,
  int: s.int,
  json: s.unknown,
} as const;
type Kind = keyof typeof KIND_SHAPES;

export interface Column<K extends Kind = Kind> {
  readonly kind: K;
  /** The GraphQL fields of the resource's type that read this column. */
  readonly fields: readonly string[];
}

/**
 * A relation selected as a nested object (`select: {rel: {name: true}}`,
 * OneUptime `Common/Server/Types/Database/Select.ts`): the related row's
 * columns, one level deep, rendered with their own envelopes.
 */
export interface Relation<C extends Columns = Columns> {
  readonly kind: 'relation';
  readonly columns: C;
  readonly fields: readonly string[];
}

const column =
  <K extends Kind>(kind: K) =>
  (...fields: string[]): Column<K> => ({ kind, fields });

/** `col.date('startsAt')`: a Date column read by the GraphQL field `startsAt`. */
export const col = {
  id: column('id'),
  date: column('date'),
  color: column('color'),
  text: column('text'),
  bool: column('bool'),
  int: column('int'),
  json: column('json'),
  /** The related resource's columns as a nested object, for these GraphQL fields. */
  relation: <C extends Columns>(target: Resource<C>, ...fields: string[]): Relation<C> => ({
    kind: 'relation',
    columns: target.columns,
    fields,
  }),
};

export type Sort = Record<string, 'ASC' | 'DESC'>;
type Columns = Record<string, Column | Relation>;

type ValueOf<D> =
  D extends Relation<infer C>
    ? RowOf<C>
    : D extends Column<infer K>
      ? Infer<(typeof KIND_SHAPES)[K]>
      : never;

/** A row as the client returns it: `_id` always, every other column only when selected. */
export type RowOf<C extends Columns> = { _id: string } & {
  [K in keyof C]?: ValueOf<C[K]> | null;
};

export interface Resource<C extends Columns = Columns> {
  /** The GraphQL type whose fields the columns serve. */
  readonly graphqlType: string;
  /** The list order (`sort` of get-list). */
  readonly sort: Sort;
  readonly columns: C;
  /** Every declared column, in declaration order. */
  readonly columnNames: readonly string[];
  /** The shape of a decoded row: `_id` plus every declared column. */
  readonly shape: Shape;
  /** GraphQL field → the columns it reads (`id` is `_id`, which OneUptime always sends). */
  readonly fieldColumns: Readonly<Record<string, readonly string[]>>;
  /** GraphQL fields served by other resources through this row's `_id` (no column of its own). */
  readonly joined: readonly string[];
}

/** The shape of a row with these columns: `_id` plus each column's kind (relations nested). */
function shapeOf(columns: Columns): Shape {
  const fields: Record<string, Shape> = { _id: 'string' };
  for (const [name, definition] of Object.entries(columns)) {
    fields[name] =
      definition.kind === 'relation' ? shapeOf(definition.columns) : KIND_SHAPES[definition.kind];
  }
  return { fields };
}

function resource<const C extends Columns>(
  graphqlType: string,
  sort: Sort,
  columns: C,
  joined: readonly string[] = [],
): Resource<C> {
  const fieldColumns: Record<string, string[]> = {};
  for (const [name, definition] of Object.entries(columns)) {
    for (const field of definition.fields) (fieldColumns[field] ??= []).push(name);
  }
  return {
    graphqlType,
    sort,
    columns,
    columnNames: Object.keys(columns),
    shape: shapeOf(columns),
    fieldColumns,
    joined,
  };
}

const timestamps = { createdAt: col.date('createdAt'), updatedAt: col.date('updatedAt') };

/** `IncidentState.ts`: the project's states, in their order. */
const incidentState = resource(
  'OneUptimeIncidentState',
  { order: 'ASC' },
  {
    name: col.text('name'),
    color: col.color('color'),
    order: col.int('order'),
    isCreatedState: col.bool('isCreatedState'),
    isAcknowledgedState: col.bool('isAcknowledgedState'),
    isResolvedState: col.bool('isResolvedState'),
  },
);

/** `IncidentSeverity.ts`: the project's severities, in their order. */
const incidentSeverity = resource(
  'OneUptimeIncidentSeverity',
  { order: 'ASC' },
  { name: col.text('name'), color: col.color('color'), order: col.int('order') },
);

export const RESOURCES = {
  /**
   * `Incident.ts`; newest first. `customFields` holds the link to Coralogix
   * (src/links/); the state and severity come as nested selects, so one call
   * answers `oneUptimeIncident { state { name } }`.
   */
  incident: resource(
    'OneUptimeIncident',
    { createdAt: 'DESC' },
    {
      title: col.text('title'),
      description: col.text('description'),
      declaredAt: col.date('declaredAt'),
      incidentNumber: col.int('number'),
      currentIncidentStateId: col.id('state'),
      currentIncidentState: col.relation(incidentState, 'state'),
      incidentSeverityId: col.id('severity'),
      incidentSeverity: col.relation(incidentSeverity, 'severity'),
      customFields: col.json('customFields', 'incident', 'case'),
      createdAt: col.date('createdAt'),
    },
    ['stateTimeline', 'slas', 'responders'],
  ),
  'incident-state': incidentState,
  'incident-severity': incidentSeverity,
  /** `IncidentStateTimeline.ts`; oldest first. */
  'incident-state-timeline': resource(
    'StateTimeline',
    { startsAt: 'ASC' },
    {
      incidentId: col.id('oneUptimeIncidentId', 'oneUptimeIncident', 'incident', 'case'),
      incidentStateId: col.id('incidentStateId', 'state'),
      startsAt: col.date('startsAt'),
      endsAt: col.date('endsAt'),
      rootCause: col.text('rootCause'),
      stateChangeLog: col.json('stateChangeLog'),
      createdByUserId: col.id('createdByUser'),
      shouldStatusPageSubscribersBeNotified: col.bool('shouldStatusPageSubscribersBeNotified'),
      subscriberNotificationStatus: col.text('subscriberNotificationStatus'),
      createdAt: col.date('createdAt'),
    },
  ),
  /** `IncidentRole.ts`; newest first. */
  'incident-role': resource(
    'IncidentRole',
    { createdAt: 'DESC' },
    {
      name: col.text('name'),
      slug: col.text('slug'),
      description: col.text('description'),
      color: col.color('color'),
      roleIcon: col.text('roleIcon'),
      isPrimaryRole: col.bool('isPrimaryRole'),
      isDeleteable: col.bool('isDeleteable'),
      canAssignMultipleUsers: col.bool('canAssignMultipleUsers'),
      ...timestamps,
    },
  ),
  /**
   * `IncidentMember.ts` (release 9.5.0+): who holds which role on one incident;
   * oldest first (the order people joined). `userId` is a OneUptime user id.
   */
  'incident-member': resource(
    'IncidentMember',
    { createdAt: 'ASC' },
    {
      incidentId: col.id('oneUptimeIncidentId', 'oneUptimeIncident'),
      userId: col.id('user'),
      incidentRoleId: col.id('role'),
      notes: col.text('notes'),
      createdAt: col.date('createdAt'),
    },
  ),
  /** `IncidentSla.ts`; newest first. */
  'incident-sla': resource(
    'IncidentSla',
    { createdAt: 'DESC' },
    {
      incidentId: col.id('oneUptimeIncidentId', 'oneUptimeIncident', 'incident', 'case'),
      incidentSlaRuleId: col.id('ruleId'),
      status: col.text('status', 'statusText'),
      responseDeadline: col.date('responseDeadline'),
      resolutionDeadline: col.date('resolutionDeadline'),
      respondedAt: col.date('respondedAt'),
      resolvedAt: col.date('resolvedAt'),
      slaStartedAt: col.date('slaStartedAt'),
      breachNotificationSentAt: col.date('breachNotificationSentAt'),
      ...timestamps,
    },
  ),
};

export type Resources = typeof RESOURCES;
export type OneUptimeResource = keyof Resources;
export const ONEUPTIME_RESOURCES = Object.keys(RESOURCES) as OneUptimeResource[];
export type RecordOf<R extends OneUptimeResource> = RowOf<Resources[R]['columns']>;

export type OneUptimeIncidentRecord = RecordOf<'incident'>;
export type IncidentStateRecord = RecordOf<'incident-state'>;
export type IncidentSeverityRecord = RecordOf<'incident-severity'>;
export type StateTimelineRecord = RecordOf<'incident-state-timeline'>;
export type IncidentRoleRecord = RecordOf<'incident-role'>;
export type IncidentSlaRecord = RecordOf<'incident-sla'>;
export type IncidentMemberRecord = RecordOf<'incident-member'>;

/** The resource whose rows a GraphQL type shows. */
export function resourceOf(graphqlType: string): OneUptimeResource | undefined {
  return ONEUPTIME_RESOURCES.find((name) => RESOURCES[name].graphqlType === graphqlType);
}

export type Select = Record<string, true | Record<string, true>>;

/** `{column: true}` for each column; a relation selects every column of its target. */
function selectColumns(columns: Columns, wanted: (name: string) => boolean): Select {
  const select: Select = {};
  for (const [name, definition] of Object.entries(columns)) {
    if (!wanted(name)) continue;
    select[name] =
      definition.kind === 'relation'
        ? (selectColumns(definition.columns, () => true) as Record<string, true>)
        : true;
  }
  return select;
}

/** A `select` naming these columns (unknown names dropped), in declaration order. */
export function selectOf(
  resource: OneUptimeResource,
  columns: Iterable<string> = RESOURCES[resource].columnNames,
): Select {
  const wanted = new Set(columns);
  return selectColumns(RESOURCES[resource].columns as Columns, (name) => wanted.has(name));
}

/** The relation columns of a resource (their values are nested rows to decode). */
export function relationsOf(resource: OneUptimeResource): readonly string[] {
  return Object.entries(RESOURCES[resource].columns as Columns)
    .filter(([, definition]) => definition.kind === 'relation')
    .map(([name]) => name);
}
