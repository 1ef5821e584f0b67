/**
 * What live updates need from a request and give back to it. A leaf module:
 * `context.ts` imports `LiveAccess` from here, and nothing here imports the
 * context or the generated resolver types, so per-request state flows down
 * (STYLE 18) without an import cycle. The gateway's `GatewayContext` satisfies
 * `LiveContext` structurally.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { CaseLoaders } from '../upstreams/coralogix/cases/loaders.js';
import type { Case } from '../upstreams/coralogix/cases/types.js';
import type { CoralogixLoaders } from '../upstreams/coralogix/incidents/loaders.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import type { CaseWrite, IncidentWrite, LiveChange } from './events.js';

/** A compiled subscription filter (see `compileIncidentFilter` in filter.ts). */
export type IncidentMatcher = (incident: Incident) => boolean;
/** A compiled `caseChanged` filter (see `compileCaseFilter` in caseFilter.ts). */
export type CaseMatcher = (item: Case) => boolean;

/** One change for one subscriber. `context()` is shared by all deliveries of one batch. */
export interface Delivery {
  change: LiveChange;
  context(): LiveContext;
  /** Called once the delivery is sent or dropped. */
  release(): void;
}

/** What a request may do with live updates (`GatewayContext.live`). */
export interface LiveAccess {
  /** Publish what a mutation of this request wrote (to every replica's subscribers). */
  written(write: IncidentWrite, incidents: readonly Incident[]): void;
  /** The same for cases. */
  casesWritten(write: CaseWrite, cases: readonly Case[]): void;
  /** This subscriber's incident changes; only for operations arriving over WebSocket or SSE. */
  changes(matches: IncidentMatcher): AsyncIterable<Delivery>;
  /** This subscriber's case changes; only over WebSocket or SSE. */
  caseChanges(matches: CaseMatcher): AsyncIterable<Delivery>;
}

/** The part of a request context live updates use. */
export interface LiveContext {
  span: Span;
  requestId: string;
  credentialScope: string;
  live?: LiveAccess;
  coralogix: Pick<CoralogixLoaders, 'list'>;
  cases: Pick<CaseLoaders, 'list'>;
}

/** Builds a request context (the gateway's `createContext`), checking the token and keys. */
export type ContextFor = (
  headers: IncomingHttpHeaders,
  signal: AbortSignal,
  requestId: string,
) => LiveContext;
