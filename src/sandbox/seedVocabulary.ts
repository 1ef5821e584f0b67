/**
 * The words the seed is made of: services, problems, teams, incident states,
 * severities and roles, so the sandbox reads like a real on-call week, not "foo".
 * Colours come from OneUptime's defaults (`ProjectService.ts` default states and
 * severities, `Common/Types/BrandColors.ts` at ab6f409).
 */
import type { IncidentSeverityWire } from '../upstreams/coralogix/incidents/types.js';

export const SERVICES = [
  'checkout',
  'payments',
  'search',
  'auth',
  'inventory',
  'notifications',
  'billing',
  'catalog',
  'shipping',
  'gateway',
];
export const PROBLEMS = [
  [
    'High 5xx error rate on {svc}-api',
    'The share of 5xx responses on {svc}-api exceeded 5% for 10 minutes.',
  ],
  [
    'p99 latency above 2s on {svc}-api',
    'Request latency at the 99th percentile stayed above 2 seconds.',
  ],
  ['{svc}-worker queue backlog growing', 'Messages waiting in the {svc} queue grew past 50,000.'],
  [
    'Pod restarts in {svc} deployment',
    'Containers of {svc} restarted more than 5 times in 15 minutes (OOMKilled).',
  ],
  [
    'Database connection pool exhausted for {svc}',
    'All connections of the {svc} pool were in use; requests are timing out.',
  ],
  [
    'TLS certificate for {svc}.example.com expires soon',
    'The certificate expires in less than 7 days.',
  ],
  ['Disk usage above 90% on {svc}-db-1', 'The data volume of {svc}-db-1 is over 90% full.'],
  [
    'Anomalous drop in {svc} traffic',
    'Requests per minute to {svc} fell 60% below the weekly baseline.',
  ],
  [
    'Error logs spike in {svc}',
    'ERROR-level log lines from {svc} rose tenfold against the previous hour.',
  ],
  [
    'Kafka consumer lag on {svc}-events',
    'Consumer group {svc}-events is more than 10 minutes behind.',
  ],
] as const;
export const SEVERITIES: IncidentSeverityWire[] = [
  'INCIDENT_SEVERITY_CRITICAL',
  'INCIDENT_SEVERITY_ERROR',
  'INCIDENT_SEVERITY_ERROR',
  'INCIDENT_SEVERITY_WARNING',
  'INCIDENT_SEVERITY_WARNING',
  'INCIDENT_SEVERITY_INFO',
  'INCIDENT_SEVERITY_LOW',
];
export const TEAMS = ['platform', 'payments', 'search', 'identity', 'fulfilment'];
export const ENVS = ['production', 'production', 'staging'];
export const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1'];
export const USER_NAMES = [
  'Alex Morgan',
  'Sam Patel',
  'Kim Nguyen',
  'Ana Silva',
  'Lee Chen',
  'Noor Haddad',
  'Ivan Petrov',
  'Mia Fischer',
  'Omar Aziz',
  'Zoe Martin',
  'Raj Iyer',
  'Eva Novak',
];

export interface StateWords {
  name: string;
  color: string;
  description: string;
  flag?: 'isCreatedState' | 'isAcknowledgedState' | 'isResolvedState';
}
/** In `order`; indexes 0, 3 and 5 are the created, acknowledged and resolved states. */
export const STATES: StateWords[] = [
  {
    name: 'Created',
    color: '#fd625e',
    description: 'The incident was declared and waits for a responder.',
    flag: 'isCreatedState',
  },
  { name: 'Investigating', color: '#f1734f', description: 'Responders are looking for the cause.' },
  { name: 'Identified', color: '#a855f7', description: 'The cause is known; a fix is on its way.' },
  {
    name: 'Acknowledged',
    color: '#ffbf53',
    description: 'An owner has taken the incident on.',
    flag: 'isAcknowledgedState',
  },
  { name: 'Monitoring', color: '#3b82f6', description: 'A fix is out; responders watch it hold.' },
  {
    name: 'Resolved',
    color: '#2ab57d',
    description: 'The incident is over.',
    flag: 'isResolvedState',
  },
];
export const STATE_NAMES = STATES.map((state) => state.name);
export const ACKNOWLEDGED_STATE = 3;
export const RESOLVED_STATE = 5;

/** The project's severities, named so they match Coralogix severities case-insensitively. */
export const SEVERITY_WORDS: Array<[IncidentSeverityWire, string, string, string]> = [
  ['INCIDENT_SEVERITY_CRITICAL', 'Critical', '#b70400', 'Customers cannot use a core feature.'],
  ['INCIDENT_SEVERITY_ERROR', 'Error', '#fd625e', 'A feature is failing for many customers.'],
  ['INCIDENT_SEVERITY_WARNING', 'Warning', '#ffbf53', 'Degraded, or failing for a few.'],
  ['INCIDENT_SEVERITY_INFO', 'Info', '#3b82f6', 'Worth knowing; no customer impact yet.'],
  ['INCIDENT_SEVERITY_LOW', 'Low', '#6b7280', 'Housekeeping.'],
];

/** Incidents opened in OneUptime by hand, with no Coralogix alert behind them. */
export const ONEUPTIME_ONLY_PROBLEMS = [
  [
    'Customers report failed logins on {svc}',
    'Support received 30+ tickets about login failures in the last hour.',
  ],
  [
    'Scheduled failover of {svc}-db-1 overran its window',
    'The planned failover took 40 minutes instead of 10.',
  ],
  ['SMS provider outage delays {svc} alerts', 'Our SMS provider reports a regional outage.'],
  [
    'Certificate rotation failed on {svc}-edge',
    'The automated rotation job failed; the old certificate is still served.',
  ],
  [
    'Status page shows stale data for {svc}',
    'The status page has not refreshed component states since 09:00.',
  ],
] as const;
export const ROOT_CAUSES = [
  'A deploy of {svc} raised the connection pool size beyond the database limit.',
  'An expired feature flag sent all {svc} traffic to the legacy code path.',
  'A noisy neighbour on the shared node starved {svc} of CPU.',
  'A schema migration on {svc}-db-1 held a table lock for 12 minutes.',
];
export const REMEDIATIONS = [
  'Rolled back the deploy and added a limit check to CI.',
  'Removed the flag and added an alert on flag expiry.',
  'Moved {svc} to dedicated nodes.',
];
export const MEMBER_NOTES = [
  'Paged by on-call.',
  'Joined from the #incidents channel.',
  'Owns the affected service.',
  'Handles customer updates.',
];
export const JIRA_PROJECTS = ['OPS', 'INC', 'SRE'];
export const ROLES: Array<[string, string, string, boolean, boolean]> = [
  ['Incident Commander', 'Leads the response and makes the final calls.', '#E74C3C', true, false],
  [
    'Communications Lead',
    'Keeps stakeholders and the status page up to date.',
    '#3498DB',
    false,
    true,
  ],
  ['Operations Lead', 'Coordinates the hands-on technical work.', '#2ECC71', false, true],
  ['Scribe', 'Records the timeline, decisions and follow-ups.', '#9B59B6', false, true],
  [
    'Subject Matter Expert',
    'Brings deep knowledge of the affected system.',
    '#F1C40F',
    false,
    true,
  ],
  ['Customer Liaison', 'Talks to affected customers and support.', '#E67E22', false, true],
];
export const ROLE_ICONS = ['Shield', 'Megaphone', 'Wrench', 'Pencil', 'Academic', 'User'];

/** The OneUptime custom field holding the Coralogix incident id (DESIGN 5a, `ONEUPTIME_LINK_FIELD`). */
export const LINK_FIELD = 'coralogixIncidentId';
/** The OneUptime custom field holding the Coralogix case UUID (DESIGN 5c, `ONEUPTIME_CASE_LINK_FIELD`). */
export const CASE_LINK_FIELD = 'coralogixCaseId';
