/**
 * The two families of the cross-vendor link as a test drives them (DESIGN 5a,
 * 5c): the same link machine serves Coralogix incidents (`linkIncident`, …,
 * `ONEUPTIME_LINK_FIELD`) and cases (`linkCase`, …, `ONEUPTIME_CASE_LINK_FIELD`),
 * so the link tests run once per family over these descriptions instead of
 * being copied.
 */
import type { SeedData } from '../../src/sandbox/seed.js';
import { FAMILY_FIELD, seedLinks, type LinkFamilyName, type SeedLinks } from './links.js';
import type { RawResponse, Stack } from './stack.js';

/** A link mutation's payload, whatever the family calls its Coralogix record. */
export interface LinkAnswerPayload {
  record: { id: string };
  oneUptimeIncident: { id: string; customFields: Record<string, unknown> | null } | null;
  created: boolean;
  unlinked?: Array<{ id: string }>;
}
export type LinkAnswer = RawResponse<Record<string, Record<string, unknown> | null>>;

export interface LinkFamilyUnderTest {
  name: LinkFamilyName;
  /** The OneUptime custom field that holds the family's ids. */
  field: string;
  /** How the seed links this family. */
  links(seed: SeedData): SeedLinks<{ id: string }>;
  /** A query that reads one record (`id` and a title), to warm the gateway's reads. */
  read: string;
  /** A query for one record's `linkStatus` and `oneUptimeIncident { id }`, as `{ record: … }`. */
  linkStatus: string;
  link(stack: Stack, coralogixId: string, oneUptimeId: string): Promise<LinkAnswer>;
  unlink(stack: Stack, coralogixId: string): Promise<LinkAnswer>;
  ensure(stack: Stack, coralogixId: string): Promise<LinkAnswer>;
  /** The payload of a link answer (null when the mutation field is null). */
  payloadOf(answer: LinkAnswer): LinkAnswerPayload | null;
}

function family(
  name: LinkFamilyName,
  names: {
    record: 'incident' | 'case';
    idName: 'incidentId' | 'caseId';
    title: 'name' | 'title';
    link: string;
    unlink: string;
    ensure: string;
    inputs: [string, string, string];
  },
): LinkFamilyUnderTest {
  const payload = `${names.record} { id } oneUptimeIncident { id customFields } created unlinked { id }`;
  const mutation = (field: string, input: string) =>
    `mutation ($i: ${input}!) { ${field}(input: $i) { ${payload} } }`;
  const [linkInput, unlinkInput, ensureInput] = names.inputs;
  const send = (stack: Stack, query: string, input: Record<string, string>) =>
    stack.graphql(query, { i: input }) as Promise<LinkAnswer>;
  return {
    name,
    field: FAMILY_FIELD[name],
    links: (seed) => seedLinks(seed, name),
    read: `query ($id: ID!) { ${names.record}(id: $id) { id ${names.title} } }`,
    linkStatus: `query ($id: ID!) { record: ${names.record}(id: $id) { linkStatus oneUptimeIncident { id } } }`,
    link: (stack, coralogixId, oneUptimeId) =>
      send(stack, mutation(names.link, linkInput), {
        [names.idName]: coralogixId,
        oneUptimeIncidentId: oneUptimeId,
      }),
    unlink: (stack, coralogixId) =>
      send(stack, mutation(names.unlink, unlinkInput), { [names.idName]: coralogixId }),
    ensure: (stack, coralogixId) =>
      send(stack, mutation(names.ensure, ensureInput), { [names.idName]: coralogixId }),
    payloadOf: (answer) => {
      const raw = Object.values(answer.data ?? {})[0] ?? null;
      if (!raw) return null;
      const { [names.record]: record, ...rest } = raw;
      return { ...(rest as Omit<LinkAnswerPayload, 'record'>), record: record as { id: string } };
    },
  };
}

export const LINK_FAMILIES: LinkFamilyUnderTest[] = [
  family('incident', {
    record: 'incident',
    idName: 'incidentId',
    title: 'name',
    link: 'linkIncident',
    unlink: 'unlinkIncident',
    ensure: 'ensureOneUptimeIncident',
    inputs: ['LinkIncidentInput', 'UnlinkIncidentInput', 'EnsureOneUptimeIncidentInput'],
  }),
  family('case', {
    record: 'case',
    idName: 'caseId',
    title: 'title',
    link: 'linkCase',
    unlink: 'unlinkCase',
    ensure: 'ensureOneUptimeIncidentForCase',
    inputs: ['LinkCaseInput', 'UnlinkCaseInput', 'EnsureOneUptimeIncidentForCaseInput'],
  }),
];
