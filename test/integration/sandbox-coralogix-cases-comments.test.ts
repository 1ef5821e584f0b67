/**
 * Contract tests of the Coralogix Cases emulator's comments (CaseEventsService
 * CreateComment / UpdateComment / DeleteComment), over real HTTP via
 * `startSandbox()`, against shared/upstreams/coralogix-cases.md: the request's
 * `text` stored as `unsafeText`, trimmed, 1–10000; up to 100 attachments of
 * one kind each; edits stamp `updateTime`; deletes answer `{}`; 404 "Event not
 * found" for unknown events.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { mismatch } from '../../src/upstreams/shape.js';
import { EVENT_RESPONSE } from '../../src/upstreams/coralogix/cases/eventResources.js';
import type {
  CaseResponse,
  EventResponse,
  ListEventsResponse,
} from '../../src/upstreams/coralogix/cases/types.js';
import { byStatus, expectCxError, UNKNOWN_CASE } from '../support/cases.js';
import { cx } from '../support/coralogix.js';

let sandbox: Sandbox;
let keyUser: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  keyUser = sandbox.seed.users[0]!.id;
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const comment = (caseId: string, body: unknown) =>
  cx<EventResponse>(sandbox, 'POST', `/cases/cases/v1/${caseId}/comments`, { body });
const edit = (eventId: string, body: unknown) =>
  cx<EventResponse>(sandbox, 'PUT', `/cases/events/v1/${eventId}/comments`, { body });
const remove = (eventId: string) => cx(sandbox, 'DELETE', `/cases/events/v1/${eventId}/comments`);
const events = async (caseId: string) =>
  (await cx<ListEventsResponse>(sandbox, 'GET', `/cases/cases/v1/${caseId}/events`)).body.events;
const anyCase = () => byStatus(sandbox, 'ACKNOWLEDGED')[0]!.case;

const FILE = {
  fileId: '3f166e9f-3c88-4af2-b52e-138f339dab3e',
  fileName: 'trace.png',
  isDeleted: false,
};
const LOG = {
  logId: 'ef51d3d9-a301-496b-aa7d-9a6e519ba0d5',
  logTimestamp: '2026-11-30T10:00:00.000Z',
  logContent: 'ERROR pool exhausted',
};

describe('POST /cases/cases/v1/{case_id}/comments', () => {
  it('adds a trimmed comment by the key user, newest in the timeline, the case untouched', async () => {
    const c = anyCase();
    const before = Date.now();
    const reply = await comment(c.readableId!, { text: '  Rolled back the deploy.  ' });
    expect(reply.status).toBe(200);
    expect(mismatch(reply.body, EVENT_RESPONSE)).toBeUndefined();
    const { event } = reply.body;
    expect(event.eventData).toEqual({ comment: { unsafeText: 'Rolled back the deploy.' } });
    expect(event.actor).toEqual({ user: { id: keyUser } });
    expect(Date.parse(event.eventTime)).toBeGreaterThanOrEqual(before);
    expect(event).not.toHaveProperty('updateTime');
    expect((await events(c.id))[0]).toEqual(event);
    const got = await cx<EventResponse>(sandbox, 'GET', `/cases/events/v1/${event.eventId}`);
    expect(got.body).toEqual({ event });
    const after = await cx<CaseResponse>(sandbox, 'GET', `/cases/cases/v1/${c.id}`);
    expect(after.body.case.updateTime).toBe(c.updateTime);
  });

  it('keeps attachments of each kind', async () => {
    const attachments = [
      { file: FILE },
      { log: { ...LOG, queryLinkSuffix: '?q=pool' } },
      { customWidget: { customDashboardId: 'dash-1', widgetId: 'w-7', widgetScreenshot: FILE } },
    ];
    const reply = await comment(anyCase().id, { text: 'See the attachments.', attachments });
    expect(reply.body.event.eventData.comment?.attachments).toEqual(attachments);
  });

  it('takes comments on cases in every status, pending and closed included', async () => {
    for (const status of ['PENDING_ACTIVATION', 'CLOSED']) {
      expect(
        (await comment(byStatus(sandbox, status)[0]!.case.id, { text: 'Noted.' })).status,
      ).toBe(200);
    }
  });

  it('accepts 10000 characters and refuses 10001', async () => {
    const c = anyCase();
    expect((await comment(c.id, { text: 'x'.repeat(10_000) })).status).toBe(200);
    expectCxError(await comment(c.id, { text: 'x'.repeat(10_001) }), 400);
  });

  it.each([
    ['no text', {}],
    ['blank text', { text: ' \n ' }],
    ['text that is not a string', { text: 7 }],
    ['attachments that are not a list', { text: 'a', attachments: { file: FILE } }],
    ['101 attachments', { text: 'a', attachments: Array(101).fill({ file: FILE }) }],
    ['an attachment of two kinds', { text: 'a', attachments: [{ file: FILE, log: LOG }] }],
    ['an attachment of no kind', { text: 'a', attachments: [{}] }],
    [
      'a file without isDeleted',
      { text: 'a', attachments: [{ file: { ...FILE, isDeleted: undefined } }] },
    ],
    [
      'a log with a bad timestamp',
      { text: 'a', attachments: [{ log: { ...LOG, logTimestamp: 'yesterday' } }] },
    ],
  ])('refuses %s with 400', async (_, body) => {
    expectCxError(await comment(anyCase().id, body), 400);
  });

  it('answers 404 for an unknown case and 400 for a malformed id', async () => {
    expectCxError(await comment(UNKNOWN_CASE, { text: 'hi' }), 404);
    expectCxError(await comment('case-1', { text: 'hi' }), 400);
  });
});

describe('PUT and DELETE /cases/events/v1/{event_id}/comments', () => {
  it('replaces the text and attachments and stamps updateTime', async () => {
    const c = anyCase();
    const { event } = (await comment(c.id, { text: 'first', attachments: [{ file: FILE }] })).body;
    const reply = await edit(event.eventId.toUpperCase(), { text: ' second ' });
    expect(reply.status).toBe(200);
    expect(reply.body.event.eventData).toEqual({ comment: { unsafeText: 'second' } });
    expect(reply.body.event.eventTime).toBe(event.eventTime);
    expect(Date.parse(reply.body.event.updateTime!)).toBeGreaterThanOrEqual(
      Date.parse(event.eventTime),
    );
    expect((await events(c.id)).find((e) => e.eventId === event.eventId)).toEqual(reply.body.event);
  });

  it('edits a seeded Slack comment, keeping where it came from', async () => {
    const seeded = sandbox.seed.cases
      .flatMap((r) => r.events)
      .find((e) => e.eventData.comment?.slack !== undefined)!;
    const reply = await edit(seeded.eventId, { text: 'edited' });
    expect(reply.body.event.eventData.comment).toEqual({
      unsafeText: 'edited',
      slack: seeded.eventData.comment!.slack,
    });
  });

  it('deletes a comment: {} and gone from the timeline; a second delete is a 404', async () => {
    const c = anyCase();
    const { event } = (await comment(c.id, { text: 'oops' })).body;
    const reply = await remove(event.eventId);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({});
    expect((await events(c.id)).some((e) => e.eventId === event.eventId)).toBe(false);
    expectCxError(
      await cx(sandbox, 'GET', `/cases/events/v1/${event.eventId}`),
      404,
      /Event not found/,
    );
    expectCxError(await remove(event.eventId), 404, /Event not found/);
    expectCxError(await edit(event.eventId, { text: 'x' }), 404, /Event not found/);
  });

  it('refuses to edit or delete an event that is not a comment', async () => {
    const created = sandbox.seed.cases[0]!.events[0]!;
    expect(created.eventData).toHaveProperty('created');
    expectCxError(await edit(created.eventId, { text: 'x' }), 400, /not a comment/);
    expectCxError(await remove(created.eventId), 400, /not a comment/);
  });

  it('validates the event id and the text', async () => {
    expectCxError(await edit('CASE-1', { text: 'x' }), 400);
    expectCxError(await remove('not-a-uuid'), 400);
    const { event } = (await comment(anyCase().id, { text: 'ok' })).body;
    expectCxError(await edit(event.eventId, { text: '' }), 400);
  });
});
