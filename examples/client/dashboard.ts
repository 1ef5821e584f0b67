/**
 * The example dashboard page (examples/client/index.html): critical open
 * incidents from the gateway, an "Assign" button per incident, and the live
 * changes of critical and error incidents as they arrive. Typed end to end by
 * the documents `npm run codegen:client` generates from examples/*.graphql.
 *
 * Query string: `gateway` (the gateway's base URL), `token` (a gateway token),
 * `user` (the user id the Assign button assigns).
 */
import { createGatewayClient } from './client';
import {
  AssignIncidentDocument,
  CriticalOpenIncidentsDocument,
  IncidentChangesDocument,
  type CriticalOpenIncidentsQuery,
  type IncidentChangesSubscription,
} from './gql/graphql';

type Incident = NonNullable<CriticalOpenIncidentsQuery['incidents']>['edges'][number]['node'];
type Change = NonNullable<IncidentChangesSubscription['incidentChanged']>;

const params = new URLSearchParams(window.location.search);
const token = params.get('token');
const userId = params.get('user') ?? 'on-call';
const element = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const status = (text: string, state: string) => {
  element('#status').textContent = text;
  document.body.dataset.state = state;
};

const client = createGatewayClient({
  url: params.get('gateway') ?? window.location.origin,
  ...(token ? { token } : {}),
  onError: (code, message, operationName) =>
    status(
      `${operationName}: ${message} (${code})`,
      code === 'UNAUTHENTICATED' ? 'signed-out' : 'error',
    ),
});

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

const assignees = (incident: Pick<Incident, 'assignments'>) =>
  incident.assignments.map((a) => a.assignedTo?.id ?? '?').join(', ') || '—';

function row(incident: Incident): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.id = incident.id;
  const sla = incident.slas?.[0]?.statusText ?? 'no SLA';
  tr.append(
    cell(incident.name),
    cell(incident.severity, `severity ${incident.severity.toLowerCase()}`),
    cell(incident.status),
    cell(sla),
    cell(assignees(incident), 'assignees'),
  );
  const button = document.createElement('button');
  button.textContent = 'Assign to me';
  button.addEventListener('click', () => void assign(incident, button));
  const action = document.createElement('td');
  action.append(button);
  tr.append(action);
  return tr;
}

async function assign(incident: Incident, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  const { data } = await client.mutate({
    mutation: AssignIncidentDocument,
    variables: { assign: { incidentIds: [incident.id], userId } },
  });
  const updated = data?.assignIncidents?.incidents[0];
  if (updated) {
    element(`tr[data-id="${updated.id}"] .assignees`).textContent = assignees(updated);
    status(`Assigned "${updated.name}" to you (${userId}).`, 'assigned');
  }
}

function showChange(change: Change): void {
  const item = document.createElement('li');
  item.dataset.kind = change.kind;
  item.dataset.id = change.incident.id;
  const fields = change.changedFields.join(', ');
  item.textContent = `${change.kind} ${change.incident.name} (${change.incident.severity}, ${change.incident.status}): ${fields} · assignees ${assignees(change.incident)}`;
  element('#changes').prepend(item);
}

async function main(): Promise<void> {
  client
    .subscribe({
      query: IncidentChangesDocument,
      variables: { live: { severities: ['CRITICAL', 'ERROR'] } },
    })
    .subscribe({
      next: ({ data, error }) => {
        if (error) status(`Live updates: ${error.message}`, 'error');
        else if (data?.incidentChanged) showChange(data.incidentChanged);
      },
      error: (error: unknown) => status(`Live updates stopped: ${String(error)}`, 'error'),
    });
  const { data } = await client.query({ query: CriticalOpenIncidentsDocument });
  const incidents = data?.incidents;
  if (!incidents) throw new Error('no incidents in the answer');
  element('#incidents tbody').replaceChildren(...incidents.edges.map((edge) => row(edge.node)));
  status(
    `${incidents.totalCount} critical open incidents; showing ${incidents.edges.length}.`,
    'loaded',
  );
}

main().catch((error: unknown) => status(`Could not load incidents: ${String(error)}`, 'error'));
