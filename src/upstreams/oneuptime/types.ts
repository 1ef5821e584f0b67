/**
 * Wire types of the OneUptime generic CRUD API (`<base>/api/<resource>/…`).
 *
 * Real servers wrap ObjectID, Date and Color columns as
 * `{"_type":"ObjectID"|"DateTime"|"Color","value":…}`; the docs' examples send
 * plain values. The client decodes both into plain values; the record types
 * (the codegen mapper targets) are inferred from the declarations in
 * `resources.ts`. Only selected columns come back (plus `_id`), so every
 * other column is optional.
 */

export type {
  IncidentRoleRecord,
  IncidentSeverityRecord,
  IncidentStateRecord,
  OneUptimeIncidentRecord,
  IncidentSlaRecord,
  IncidentMemberRecord,
  OneUptimeResource,
  RecordOf,
  StateTimelineRecord,
} from './resources.js';

/** The value types of a column, which decide its JSON encoding on the wire. */
export type ColumnType = 'ObjectID' | 'DateTime' | 'Color' | 'Text' | 'Boolean' | 'Number' | 'JSON';

/** An encoded value as real servers send it. */
export interface ValueEnvelope {
  _type: 'ObjectID' | 'DateTime' | 'Color';
  value: string;
}

/**
 * The `status` strings OneUptime defines (`Common/Types/Incident/IncidentSlaStatus.ts`
 * at ab6f409). The column is free text, so anything else may arrive: `UNKNOWN`.
 */
export const SLA_STATUSES = [
  'On Track',
  'At Risk',
  'Response Breached',
  'Resolution Breached',
  'Met',
] as const;
export type SlaStatusWire = (typeof SLA_STATUSES)[number] | 'UNKNOWN';

export type { Select } from './resources.js';
import type { Select } from './resources.js';
export type Sort = Record<string, 'ASC' | 'DESC' | 1 | -1>;
/** A OneUptime query: column → plain value, `null`, a bare array (IN), or a `{_type}` operator. */
export type Query = Record<string, unknown>;

export interface ListRequestBody {
  select?: Select;
  query?: Query;
  sort?: Sort;
}

export interface ListResponse<T> {
  data: T[];
  count: number;
  skip: number;
  limit: number;
}

export interface CountResponse {
  count: number;
}

/** OneUptime sends `{"error": …}` from its global handler and `{"message": …}` elsewhere. */
export interface OneUptimeErrorBody {
  error?: string;
  message?: string;
}
