import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createGraphCalendar } from '../../src/adapters/graph/graphCalendar.ts';
import { createLogger } from '../../src/adapters/log/logger.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { bookMeeting } from '../../src/app/meetings/bookMeeting.ts';
import type { TeamsGateway } from '../../src/app/teams/teamsGateway.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { criteriaViews, startWalk, WHO } from '../lifecycle/support/caseWalk.ts';
import { graphClientFor, type GraphStandIn, startGraphStandIn } from '../support/graph/graphStandIn.ts';
import { testEngines } from '../support/testDatabases.ts';

const MAILBOX = 'partnership@demo-partnership.example';

/**
 * Every profile meeting booked inside the window the process needs (issue #15 item 9), through the
 * real Graph client against the Graph stand-in, on a real store. "Within N working days of X" is the
 * end of the Nth working day after X, X not counted. Meetings are booked from 09:00 London on the
 * first day of the window when everyone is free.
 */
for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`meetings inside their windows, store on ${engine.name}`, () => {
    let db: Database;
    let graph: GraphStandIn;
    beforeAll(async () => {
      graph = await startGraphStandIn();
    });
    afterAll(async () => graph.close());
    beforeEach(async () => {
      db = await engine.open();
      graph.reset();
    });
    afterEach(async () => db.close());

    type Walk = Awaited<ReturnType<typeof startWalk>>;
    /** What the outbox sender does with the bookings queued so far. */
    async function book(w: Walk) {
      const deps = {
        ctx: w.ctx,
        calendar: createGraphCalendar(graphClientFor(graph)),
        gateway: {} as TeamsGateway,
        logger: createLogger('silent'),
        organizer: MAILBOX,
      };
      const { rows } = await db.query<{ id: string; payload: { caseId: string; kind: string } }>(
        `SELECT id, payload FROM outbox WHERE kind = 'book_meeting' AND status = 'pending' ORDER BY id`,
      );
      for (const row of rows) {
        await bookMeeting(deps, row.payload.caseId, row.payload.kind);
        await db.query(`UPDATE outbox SET status = 'sent' WHERE id = $1`, [row.id]);
      }
    }
    /** The Outlook events, by subject, with their start (UTC). */
    const booked = () =>
      Object.fromEntries(
        [...graph.events.values()].map((e) => [String(e.subject).split(':')[0], (e.start as { dateTime: string }).dateTime.slice(0, 16)]),
      );

    it('HSSCP: the four meetings in order, each after what it needs, across Christmas and New Year', async () => {
      // Referral Mon 21 Dec 2026; the DSPs decide on Tue 22; the notifier notifies on Thu 24 Dec.
      const w = await startWalk(db, 'hsscp.json', 'Hartlepool', '2026-12-21T10:00:00Z');
      await book(w);
      // 000 L42, the DSP call "within two working days" (by Wed 23 Dec): booked now, 10:30 Mon 21 Dec.
      expect(booked()['DSP teleconference']).toBe('2026-12-21T10:30');
      w.at('2026-12-22T10:00:00Z');
      await w.decide('notify');
      w.at('2026-12-24T10:00:00Z');
      await w.confirmNotification('2026-12-24');
      await book(w);
      // 000 L64, the report 15 working days from the notification (Thu 24 Dec): Fri 25 Dec and Mon 28 Dec
      // (the Boxing Day substitute) are bank holidays; Tue 29 (1), Wed 30 (2), Thu 31 (3); Fri 1 Jan a
      // bank holiday; Mon 4 (4), Tue 5 (5), Wed 6 (6) ... Tue 12 (10), ... Tue 19 Jan 2027 (15). The rapid
      // review ends 5 working days before: Tue 12 Jan. It opens the working day after the chronologies
      // are due: none requested yet, so as if sent today, 5 working days from Thu 24 Dec: Tue 29 (1), Wed 30
      // (2), Thu 31 (3), Mon 4 (4), Tue 5 Jan (5); the next working day is Wed 6 Jan, 09:00 GMT.
      // Before this change it was booked at 10:30 on Thu 24 Dec, before any request went out.
      expect(booked()['Rapid review meeting']).toBe('2027-01-06T09:00');

      // The requests go out the same day (returns due Tue 5 Jan); the rapid review is held on Wed 6 Jan.
      await w.step('info_requests_sent', { agencies: 'local_authority,police,health' });
      w.at('2027-01-06T15:00:00Z');
      await w.step(
        'rr_meeting_held',
        { heldOn: '2027-01-06', ...criteriaViews(w.profile), conclusion: 'local_review', reasons: 'Fictional: criteria met.' },
        WHO.rrChair,
      );
      await book(w);
      // The governance meeting at least 2 working days after the rapid review (Wed 6 Jan): Thu 7 (1), Fri 8
      // Jan (2); it must end 1 working day before the report (Tue 19 Jan): Mon 18 Jan. Fri 8 Jan, 09:00.
      expect(booked()['Review governance meeting']).toBe('2027-01-08T09:00');
      w.at('2027-01-08T14:00:00Z');
      await w.step(
        'governance_meeting_held',
        { heldOn: '2027-01-08', decision: 'local_review', reasons: 'Fictional: the criteria for a local review are met.' },
        WHO.chair,
      );
      await book(w);
      // The ToR planning meeting the working day after the governance meeting (Fri 8 Jan): Mon 11 Jan, 09:00.
      expect(booked()['LCSPR terms of reference planning meeting']).toBe('2027-01-11T09:00');
      const order = [
        'DSP teleconference',
        'Rapid review meeting',
        'Review governance meeting',
        'LCSPR terms of reference planning meeting',
      ];
      const starts = order.map((k) => booked()[k]!);
      expect([...starts].sort()).toEqual(starts);
    });

    it('Darlington: the Rapid Review Panel at 7-10 working days; a date set by hand is flagged, refused after the 15th without a reason, and moves the meeting', async () => {
      // Referral Fri 21 May 2027; notified Thu 27 May; the Panel acknowledges on Fri 28 May.
      const w = await startWalk(db, 'darlington.json', 'Darlington', '2027-05-21T09:00:00Z');
      w.at('2027-05-26T10:00:00Z');
      await w.decide('notify');
      w.at('2027-05-27T14:00:00Z');
      await w.confirmNotification('2027-05-27');
      w.at('2027-05-28T10:00:00Z');
      await w.step('panel_acknowledged', { acknowledgedOn: '2027-05-28' }, WHO.notifier);
      await book(w);
      // 004 s.6.2, "within 7-10 working days" of the acknowledgement (Fri 28 May): Mon 31 May is the spring
      // bank holiday; Tue 1 Jun (1), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 (5), Tue 8 (6), Wed 9 (7: the
      // window opens), Thu 10 (8), Fri 11 (9), Mon 14 Jun (10). The chronologies, as if requested today, are
      // due 5 working days on, Mon 7 Jun, so Tue 8 Jun at the earliest: the 7th working day wins. Wed 9 Jun,
      // 09:00 BST (08:00 UTC). Before this change Darlington booked no meeting at all.
      expect(booked()).toEqual({ 'Rapid Review Panel': '2027-06-09T08:00' });

      // Inside the window by hand: Fri 11 Jun. Not flagged, and the Outlook event moves to 09:00 that day.
      const inside = await w.step('rr_meeting_date_set', { meetingDate: '2027-06-11' });
      expect(inside.plan.note).toBe('rapid review meeting set for Fri 11 Jun');
      await book(w);
      expect(booked()).toEqual({ 'Rapid Review Panel': '2027-06-11T08:00' });
      expect(graph.events.size).toBe(1);

      // Tue 15 Jun (the 11th working day): after the 7-10 window, before the 15th (Tue 15 (11), Wed 16 (12),
      // Thu 17 (13), Fri 18 (14), Mon 21 Jun (15)). Flagged, accepted, moved.
      const late = await w.step('rr_meeting_date_set', { meetingDate: '2027-06-15' });
      expect(late.plan.note).toBe('rapid review meeting set for Tue 15 Jun; after its window closes on Mon 14 Jun');
      await book(w);
      expect(booked()).toEqual({ 'Rapid Review Panel': '2027-06-15T08:00' });

      // Tue 22 Jun, after the deadline the meeting serves (Mon 21 Jun): refused without a reason, nothing written.
      const before = (await w.eventTypes()).length;
      const refusal = await w.step('rr_meeting_date_set', { meetingDate: '2027-06-22' }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).problems).toEqual([
        { field: 'reason', message: 'is required: Tue 22 Jun is after the Rapid review meeting (latest) deadline (Mon 21 Jun)' },
      ]);
      expect((await w.eventTypes()).length).toBe(before);
      await book(w);
      expect(booked()).toEqual({ 'Rapid Review Panel': '2027-06-15T08:00' });

      // With a reason it is accepted, said plainly, and the meeting moves.
      const reason = 'Fictional: the chair is unavailable before then.';
      const after = await w.step('rr_meeting_date_set', { meetingDate: '2027-06-22', reason });
      expect(after.plan.note).toContain('rapid review meeting set for Tue 22 Jun; AFTER the');
      expect(after.plan.note).toContain(`Reason: ${reason}`);
      await book(w);
      expect(booked()).toEqual({ 'Rapid Review Panel': '2027-06-22T08:00' });
      expect(await w.auditActions()).toContain('meeting_rebooked');
    });

    it('NEL: the rapid review between 7 and 13 working days of the referral; early by hand is flagged', async () => {
      // Referral Thu 20 Aug 2026; the templates go out on Fri 21 Aug (001 Appendix 1 L208).
      const w = await startWalk(db, 'nel.json', 'North East Lincolnshire', '2026-08-20T10:00:00Z');
      w.at('2026-08-21T10:00:00Z');
      await w.step('info_requests_sent', { agencies: 'local_authority,police,health' });
      await book(w);
      // 001 L211, "Between 7 and 13 working days of receiving the referral" (Thu 20 Aug): Fri 21 (1), Mon 24
      // (2), Tue 25 (3), Wed 26 (4), Thu 27 (5), Fri 28 (6); Mon 31 Aug the summer bank holiday; Tue 1 Sep
      // (7: opens) ... Thu 10 Sep (13). Returns circulated by Thu 27 Aug (5), so the 7th working day
      // wins: Tue 1 Sep, 09:00 BST (08:00 UTC).
      expect(booked()).toEqual({ 'Rapid review meeting': '2026-09-01T08:00' });
      const early = await w.step('rr_meeting_date_set', { meetingDate: '2026-08-27' });
      expect(early.plan.note).toBe(
        "rapid review meeting set for Thu 27 Aug; before its window opens on Tue 1 Sep (the Rapid review meeting clock's window)",
      );
      await book(w);
      expect(booked()).toEqual({ 'Rapid review meeting': '2026-08-27T08:00' });
    });
  });
}
