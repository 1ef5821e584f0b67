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
};

export type Sort = Record<string, 'ASC' | 'DESC'>;
type Columns = Record<string, Column>;

/** A row as the client returns it: `_id` always, every other column only when selected. */
export type RowOf<C extends Columns> = { _id: string } & {
  [K in keyof C]?: Infer<(typeof KIND_SHAPES)[C[K]['kind']]> | null;
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
}

function resource<const C extends Columns>(
  graphqlType: string,
  sort: Sort,
  columns: C,
): Resource<C> {
  const fieldColumns: Record<string, string[]> = {};
  const fields: Record<string, Shape> = { _id: 'string' };
  for (const [name, definition] of Object.entries(columns)) {
    fields[name] = KIND_SHAPES[definition.kind];
    for (const field of definition.fields) (fieldColumns[field] ??= []).push(name);
  }
  return {
    graphqlType,
    sort,
    columns,
    columnNames: Object.keys(columns),
    shape: { fields },
    fieldColumns,
  };
}

const timestamps = { createdAt: col.date('createdAt'), updatedAt: col.date('updatedAt') };

export const RESOURCES = {
  /** `IncidentStateTimeline.ts`; oldest first. */
  'incident-state-timeline': resource(
    'StateTimeline',
    { startsAt: 'ASC' },
    {
      incidentId: col.id('incidentId', 'incident'),
      incidentStateId: col.id('incidentStateId'),
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
  /** `IncidentSla.ts`; newest first. */
  'incident-sla': resource(
    'IncidentSla',
    { createdAt: 'DESC' },
    {
      incidentId: col.id('incidentId', 'incident'),
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

export type StateTimelineRecord = RecordOf<'incident-state-timeline'>;
export type IncidentRoleRecord = RecordOf<'incident-role'>;
export type IncidentSlaRecord = RecordOf<'incident-sla'>;

/** The resource whose rows a GraphQL type shows. */
export function resourceOf(graphqlType: string): OneUptimeResource | undefined {
  return ONEUPTIME_RESOURCES.find((name) => RESOURCES[name].graphqlType === graphqlType);
}

/** A `select` naming these columns (unknown names dropped), in declaration order. */
export function selectOf(
  resource: OneUptimeResource,
  columns: Iterable<string> = RESOURCES[resource].columnNames,
): Record<string, true> {
  const wanted = new Set(columns);
  const select: Record<string, true> = {};
  for (const name of RESOURCES[resource].columnNames) if (wanted.has(name)) select[name] = true;
  return select;
}
