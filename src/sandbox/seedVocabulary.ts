/**
 * The words the seed is made of: services, problems, teams, incident states
 * and roles, so the sandbox reads like a real on-call week, not "foo".
 */
import type { IncidentSeverityWire } from '../upstreams/coralogix/types.js';

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
export const STATE_NAMES = [
  'Created',
  'Investigating',
  'Identified',
  'Acknowledged',
  'Monitoring',
  'Resolved',
];
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
