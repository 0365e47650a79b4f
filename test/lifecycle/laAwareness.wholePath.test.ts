import { randomUUID } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { findEmailReferral, insertEmailReferral } from '../../src/adapters/store/emailReferralRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { loadCaseSnapshot } from '../../src/app/cases/caseSnapshot.ts';
import { ForbiddenError } from '../../src/app/errors.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { caseCard } from '../../src/app/teams/caseBroadcaster.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { fakeClock, hsscp, sampleReferral, testContext } from '../support/fixtures.ts';
import { testEngines } from '../support/testDatabases.ts';
import { startWalk, WHO } from './support/caseWalk.ts';

/**
 * When the local authority became aware of the incident (issue #15 item 1), on HSSCP's profile (seed
 * 000), through the app's use cases on a real store.
 *
 * The seeds' words: the LA notifies the National Panel "within five working days of becoming aware it
 * has occurred" (000 L38; 001 L64, 002 L21, 004 s.5.2 say the same), and that is often before the
 * referral reaches the partnership: "a nominated professional (from the strategy or CDOP meeting ...)
 * should be tasked with informing the Local Authority's Serious Incident Notifier" (002 L10). The DSPs
 * decide "within two working days of the Serious Incident Notification Request Form being received"
 * (000 L42): an emailed form is received when the email arrives.
 *
 * "Within N working days of X" is the end of the Nth working day after X, X not counted. The calendar
 * (src/domain/calendar, England and Wales): Christmas 2027 is a Saturday, so Christmas Day and Boxing
 * Day are kept on Mon 27 and Tue 28 Dec 2027; New Year's Day 2028 is a Saturday, kept on Mon 3 Jan
 * 2028. Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar. All the instants below are GMT.
 */

/** Keeps an email in the partnership mailbox's drafts, as the mailbox watch does, arrived at `receivedAt`. */
async function emailArrived(db: Database, receivedAt: string): Promise<string> {
  const id = randomUUID();
  await insertEmailReferral(db, {
    id,
    messageId: `msg-${id}`,
    receivedAt: new Date(receivedAt),
    fromAddress: 'pat.example@school.example',
    fromName: 'Pat Example',
    subject: 'Serious incident notification request (fictional)',
    bodyPreview: 'Please find the form attached (fictional).',
    createdAt: new Date(receivedAt),
  });
  return id;
}

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const CHILD = ['Alexandra', 'Testcase', '2019-03-14', '9434765919', 'Fictional Road'];

for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`when the local authority became aware, HSSCP, store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => db.close());

    it('an emailed referral is received when the email arrived, and a correction that moves the Panel notification earlier is said on the card and in the thread', async () => {
      // The email reaches the partnership mailbox on Thu 23 Dec 2027 at 10:15; the business manager
      // completes the referral form from its triage card on Wed 29 Dec 2027 at 09:00.
      const emailId = await emailArrived(db, '2027-12-23T10:15:00Z');
      const w = await startWalk(
        db,
        'hsscp.json',
        'Hartlepool',
        '2027-12-29T09:00:00Z',
        { referredOn: '2027-12-22', incident: { date: '2027-12-21', isDeath: false } },
        { emailReferralId: emailId },
      );
      const opened = await loadCaseSnapshot(w.ctx, w.caseId);
      expect(opened.record.receivedAt.toISOString()).toBe('2027-12-23T10:15:00.000Z');
      const received = (
        await db.query<{ at: Date; recorded_at: Date }>(
          `SELECT at, recorded_at FROM case_events WHERE case_id = $1 AND type = 'referral_received'`,
          [w.caseId],
        )
      ).rows[0]!;
      expect([received.at.toISOString(), received.recorded_at.toISOString()]).toEqual([
        '2027-12-23T10:15:00.000Z',
        '2027-12-29T09:00:00.000Z',
      ]);
      expect(await findEmailReferral(db, emailId)).toMatchObject({ status: 'converted' });

      // 000 L42, the DSP decision within 2 working days of the form being received, Thu 23 Dec: Fri 24
      // (1); Sat 25, Sun 26, Mon 27 and Tue 28 (the two substitute bank holidays) skipped; Wed 29 Dec (2).
      // Due today, not Fri 31 Dec (2 working days from the form's completion on Wed 29: Thu 30, Fri 31).
      await w.expectClock('dsp_decision', '2027-12-29', 'due_soon');

      w.at('2027-12-29T14:00:00Z');
      await w.decide('notify');
      await w.expectClock('dsp_decision', '2027-12-29', 'met');
      // 000 L38, within 5 working days of becoming aware. The form gave no earlier date, so the LA, a
      // partner, was aware when the partnership received the referral: Thu 23 Dec. Fri 24 (1), Wed 29
      // (2), Thu 30 (3), Fri 31 (4); Sat 1, Sun 2 and Mon 3 Jan (New Year's substitute) skipped; Tue 4 Jan
      // 2028 (5). Not Thu 6 Jan, 5 working days from Wed 29 Dec (Thu 30, Fri 31, Tue 4, Wed 5, Thu 6).
      await w.expectClock('panel_notification', '2028-01-04', 'pending');
      const before = await loadCaseSnapshot(w.ctx, w.caseId);
      expect(JSON.stringify(caseCard(w.ctx, before))).toContain('Thu 23 Dec 2027 (when the referral was received)');

      // Wed 29 Dec, 16:00: the notifier learns that a strategy meeting on Wed 22 Dec 2027 found the
      // criteria met, and corrects the date. First what is refused, with nothing written:
      w.at('2027-12-29T16:00:00Z');
      const events = (await w.eventTypes()).length;
      const reason = 'Fictional: the strategy meeting on Wed 22 Dec decided the criteria were met; its minutes arrived today.';
      const step = (awareOn: string, who: string = WHO.notifier, why = reason) =>
        w.step('la_awareness_corrected', { awareOn, reason: why }, who);
      // after the receipt (Fri 24 Dec): the LA, a partner, knew by Thu 23 Dec;
      expect((await refusal(step('2027-12-24'))).problems).toEqual([
        {
          field: 'awareOn',
          message: 'must not be after the referral was received (Thu 23 Dec 2027): the local authority, a partner, knew by then',
        },
      ]);
      // in the future (tomorrow, Thu 30 Dec);
      expect((await refusal(step('2027-12-30'))).problems).toEqual([{ field: 'awareOn', message: 'must not be in the future' }]);
      // without a reason;
      expect((await refusal(step('2027-12-22', WHO.notifier, ''))).problems).toEqual([{ field: 'reason', message: 'is required' }]);
      // and not by a DSP: only the business manager or the child's local authority's notifier.
      await expect(step('2027-12-22', WHO.dsp.police)).rejects.toBeInstanceOf(ForbiddenError);
      expect((await w.eventTypes()).length).toBe(events);

      const corrected = await step('2027-12-22');
      // From Wed 22 Dec: Thu 23 (1), Fri 24 (2), Wed 29 (3), Thu 30 (4), Fri 31 Dec 2027 (5): earlier than
      // Tue 4 Jan. The DSP decision still counts from the receipt, Thu 23 Dec: it does not move.
      await w.expectClock('panel_notification', '2027-12-31', 'pending');
      await w.expectClock('dsp_decision', '2027-12-29', 'met');
      const said = `${w.reference}: the date the local authority became aware is corrected from Thu 23 Dec 2027 to Wed 22 Dec 2027. Deadline moved earlier: Panel notification due by the end of Fri 31 Dec, instead of Tue 4 Jan.`;
      expect(corrected.plan.note).toBe(said.slice(`${w.reference}: `.length, -1));
      // The thread says so (through the outbox, like every post), by reference only: no reason, no child.
      const notes = (await w.outbox('thread_note')).map((m) => String(m.payload.text));
      expect(notes).toContain(said);
      for (const text of notes)
        for (const secret of [...CHILD, 'strategy meeting on Wed 22 Dec decided']) expect(text).not.toContain(secret);
      // The case card says so: the date, the correction and the deadline it moved; its clock line follows.
      const card = JSON.stringify(caseCard(w.ctx, await loadCaseSnapshot(w.ctx, w.caseId)));
      expect(card).toContain('"title":"LA aware"');
      expect(card).toContain(
        'Wed 22 Dec 2027 (corrected on Wed 29 Dec from Thu 23 Dec 2027: Panel notification moved earlier to Fri 31 Dec, was Tue 4 Jan)',
      );
      expect(card).toContain('Panel notification due by the end of Fri 31 Dec');
      for (const secret of [...CHILD, 'strategy meeting on Wed 22 Dec decided']) expect(card).not.toContain(secret);
      // The audit log has who, when, the date and the reason; the chain is unbroken.
      const audit = (
        await db.query<{ actor: string; at: Date; details: { values: Record<string, unknown> } }>(
          `SELECT actor, at, details FROM audit_log WHERE case_id = $1 AND action = 'step:la_awareness_corrected'`,
          [w.caseId],
        )
      ).rows;
      expect(audit.map((a) => [a.actor, a.at.toISOString(), a.details.values])).toEqual([
        [WHO.notifier, '2027-12-29T16:00:00.000Z', { awareOn: '2027-12-22', reason }],
      ]);
      expect((await verifyAuditChain(db)).ok).toBe(true);

      // Fri 31 Dec: the notifier notified the Panel today, on the last day: on time.
      w.at('2027-12-31T11:00:00Z');
      await w.confirmNotification('2027-12-31');
      await w.expectClock('panel_notification', '2027-12-31', 'met');
    });

    it('takes the awareness from the form (a strategy meeting 2 working days before the referral), and accepts a notification made before the referral but not before the awareness', async () => {
      // The referral form arrives in Teams on Tue 16 Mar 2027; it says the LA became aware at a strategy
      // meeting on Fri 12 Mar 2027, two working days earlier (Mon 15 is one working day before).
      const w = await startWalk(db, 'hsscp.json', 'Hartlepool', '2027-03-16T10:00:00Z', {
        referredOn: '2027-03-16',
        incident: { date: '2027-03-11', isDeath: false, laAwareOn: '2027-03-12' },
      });
      // 000 L42: the DSP decision still counts from the receipt, Tue 16: Wed 17 (1), Thu 18 Mar (2).
      await w.expectClock('dsp_decision', '2027-03-18', 'pending');
      const submitted = (
        await db.query<{ details: Record<string, unknown> }>(
          `SELECT details FROM audit_log WHERE case_id = $1 AND action = 'referral_submitted'`,
          [w.caseId],
        )
      ).rows[0]!.details;
      expect(submitted).toMatchObject({ laAwareOn: '2027-03-12', laAwareBasis: 'referral_form' });

      w.at('2027-03-17T11:00:00Z');
      await w.decide('notify');
      // 000 L38, 5 working days from Fri 12 Mar: Mon 15 (1), Tue 16 (2), Wed 17 (3), Thu 18 (4), Fri 19
      // Mar (5). From the receipt it would have been Tue 23 Mar.
      await w.expectClock('panel_notification', '2027-03-19', 'pending');
      expect(JSON.stringify(caseCard(w.ctx, await loadCaseSnapshot(w.ctx, w.caseId)))).toContain('Fri 12 Mar 2027 (on the referral form)');

      // A notification dated Thu 11 Mar, before the LA knew, is refused with the date it can start from.
      w.at('2027-03-17T15:00:00Z');
      expect((await refusal(w.confirmNotification('2027-03-11'))).problems).toEqual([
        { field: 'notifiedOn', message: 'must not be before the local authority became aware of the incident (Fri 12 Mar 2027)' },
      ]);
      // One dated Mon 15 Mar, after the strategy meeting and before the referral reached HSSCP, is a real
      // date (before, it was refused as before the referral): on time.
      await w.confirmNotification('2027-03-15');
      await w.expectClock('panel_notification', '2027-03-19', 'met');
      // 000 L64, the rapid review's 15 working days from the notification (Mon 15 Mar): Tue 16 (1), Wed 17
      // (2), Thu 18 (3), Fri 19 (4), Mon 22 (5), Tue 23 (6), Wed 24 (7), Thu 25 (8); Good Friday, the
      // weekend and Easter Monday skipped; Tue 30 (9), Wed 31 (10), Thu 1 Apr (11), Fri 2 (12), Mon 5 (13),
      // Tue 6 (14), Wed 7 Apr (15).
      await w.expectClock('rr_report_to_panel', '2027-04-07', 'pending');
    });

    it('refuses an awareness after the receipt or in the future on the form, in words, writing nothing', async () => {
      // The email arrived Thu 23 Dec 2027; the form, completed Wed 29 Dec, says the LA became aware on
      // Fri 24 Dec: after the partnership (of which the LA is one) had the referral.
      const emailId = await emailArrived(db, '2027-12-23T10:15:00Z');
      const ctx = testContext(db, fakeClock('2027-12-29T09:00:00Z'), hsscp);
      const form = (laAwareOn: string) =>
        sampleReferral({ referredOn: '2027-12-22', incident: { date: '2027-12-21', isDeath: false, laAwareOn } });
      expect((await refusal(submitReferral(ctx, form('2027-12-24'), WHO.manager, { emailReferralId: emailId }))).problems).toEqual([
        {
          field: 'incident.laAwareOn',
          message: 'must not be after the referral was received (Thu 23 Dec 2027): the local authority, a partner, knew by then',
        },
      ]);
      // In the Teams form on Wed 29 Dec, tomorrow (Thu 30 Dec) is in the future.
      expect((await refusal(submitReferral(ctx, form('2027-12-30'), 'referrer-fictional'))).problems).toEqual([
        { field: 'incident.laAwareOn', message: 'must not be in the future' },
      ]);
      expect((await db.query('SELECT 1 FROM cases')).rows).toEqual([]);
      expect(await findEmailReferral(db, emailId)).toMatchObject({ status: 'draft' });
      // The same day as the email is the latest it can be, and is kept as the form's.
      const { case: record } = await submitReferral(ctx, form('2027-12-23'), WHO.manager, { emailReferralId: emailId });
      expect(record.receivedAt.toISOString()).toBe('2027-12-23T10:15:00.000Z');
      // The email now has its case: completing it again is refused, not a second case.
      await expect(submitReferral(ctx, form('2027-12-23'), WHO.manager, { emailReferralId: emailId })).rejects.toThrow(
        'This email has already been triaged',
      );
      expect((await db.query('SELECT 1 FROM cases')).rows).toHaveLength(1);
    });
  });
}
