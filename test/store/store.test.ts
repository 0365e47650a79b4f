import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { appendAudit, auditEntriesForCase, verifyAuditChain } from '../../src/adapters/store/auditLog.ts';
import { listCaseEvents } from '../../src/adapters/store/caseEventRepository.ts';
import { findCase, listCases, readReferralDetails } from '../../src/adapters/store/caseRepository.ts';
import { listClocks } from '../../src/adapters/store/clockRepository.ts';
import { isSchemaCurrent, migrate, schemaVersion, SchemaVersionError } from '../../src/adapters/store/migrate.ts';
import { loadMigrations } from '../../src/adapters/store/migrations/index.ts';
import { assignRole } from '../../src/adapters/store/roleAssignmentRepository.ts';
import type { Database } from '../../src/adapters/store/sqlExecutor.ts';
import { listVotes } from '../../src/adapters/store/voteRepository.ts';
import { readCaseDetails } from '../../src/app/cases/readCaseDetails.ts';
import { ConflictError, ForbiddenError } from '../../src/app/errors.ts';
import { submitReferral } from '../../src/app/referrals/submitReferral.ts';
import { castVote } from '../../src/app/votes/castVote.ts';
import { ValidationError } from '../../src/domain/validation/validationError.ts';
import { assignDsps, DSP, fakeClock, sampleReferral, testContext } from '../support/fixtures.ts';
import { testEngines } from '../support/testDatabases.ts';

async function count(db: Database, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

for (const engine of testEngines) {
  describe.skipIf(!engine.available)(`store on ${engine.name}`, () => {
    let db: Database;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => {
      await db.close();
    });

    describe('migrations', () => {
      it('bring a new database to the latest version, and a second run changes nothing', async () => {
        expect(await schemaVersion(db)).toBe(loadMigrations().at(-1)!.version);
        expect(await isSchemaCurrent(db)).toBe(true);
        expect((await migrate(db)).applied).toEqual([]);
      });

      it('refuse a schema newer than this release', async () => {
        await db.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')`);
        await expect(migrate(db)).rejects.toThrow(SchemaVersionError);
        expect(await isSchemaCurrent(db)).toBe(false);
      });
    });

    describe('submitting a referral', () => {
      it('opens a case with the next reference, a summary of initials and age band, and a running DSP clock', async () => {
        const ctx = testContext(db, fakeClock('2026-11-19T10:00:00Z'));
        const first = await submitReferral(ctx, sampleReferral(), 'user-referrer');
        const second = await submitReferral(ctx, sampleReferral(), 'user-referrer');
        expect(first.case.reference).toBe('HSSCP-2026-0001');
        expect(second.case.reference).toBe('HSSCP-2026-0002');
        expect(first.case.summary).toEqual({
          initials: 'A.T.',
          ageBand: '5-9',
          incidentDate: '2026-11-17',
          referringAgency: 'Example Primary School',
        });
        expect(first.case.stage).toBe('dsp_decision');

        const stored = await findCase(db, 'HSSCP-2026-0001');
        expect(stored?.id).toBe(first.case.id);
        expect(JSON.stringify(stored)).not.toMatch(/Alexandra|Testcase|9434765919|Fictional Road|2019-03-14/);
        expect((await readReferralDetails(db, first.case.id))?.child.name).toBe('Alexandra Testcase');

        const dsp = (await listClocks(db, first.case.id)).find((c) => c.clockId === 'dsp_decision')!;
        // Received Thursday 19 Nov 2026: 2 working days → end of Monday 23 Nov (London, GMT).
        expect(dsp).toMatchObject({ state: 'pending', startedOn: '2026-11-19', dueDate: '2026-11-23' });
        expect(dsp.dueAt?.toISOString()).toBe('2026-11-24T00:00:00.000Z');
        expect((await listCaseEvents(db, first.case.id)).map((e) => e.type)).toEqual(['referral_received', 'la_aware']);
        // Notify decision not made yet: the 5-working-day Panel notification clock waits on it.
        expect((await listClocks(db, first.case.id)).find((c) => c.clockId === 'panel_notification')?.state).toBe('not_started');
        expect((await listCases(db, { open: true })).map((c) => c.reference)).toEqual(['HSSCP-2026-0001', 'HSSCP-2026-0002']);
      });

      it('numbers references from 1 again in a new year (London date of receipt)', async () => {
        const clock = fakeClock('2026-12-31T23:30:00Z');
        await submitReferral(testContext(db, clock), sampleReferral({ referredOn: '2026-12-31' }), 'u');
        clock.set('2027-01-01T00:30:00Z');
        const next = await submitReferral(testContext(db, clock), sampleReferral({ referredOn: '2027-01-01' }), 'u');
        expect(next.case.reference).toBe('HSSCP-2027-0001');
      });

      it('gives every one of many concurrent referrals its own reference, with no gaps', async () => {
        const ctx = testContext(db);
        const results = await Promise.all(Array.from({ length: 20 }, () => submitReferral(ctx, sampleReferral(), 'u')));
        const refs = results.map((r) => r.case.reference).sort();
        expect(refs).toEqual(Array.from({ length: 20 }, (_, i) => `HSSCP-2026-${String(i + 1).padStart(4, '0')}`));
        expect((await verifyAuditChain(db)).ok).toBe(true);
      });

      it.each([
        [{ referredOn: '2026-13-01' }, 'referredOn'],
        [{ child: { ...sampleReferral().child, dateOfBirth: 'yesterday' } }, 'child.dateOfBirth'],
        [{ child: { ...sampleReferral().child, nhsNumber: '1234567890' } }, 'child.nhsNumber'],
        [{ child: { ...sampleReferral().child, favouriteColour: 'blue' } }, 'child.favouriteColour'],
        [{ narrative: { whatHappened: 'x' } }, 'narrative.whyCriteriaMet'],
        [{ incident: { date: '2026-12-25', isDeath: false } }, 'incident.date'],
        [{ child: { ...sampleReferral().child, localAuthority: 'Atlantis' } }, 'child.localAuthority'],
      ])('rejects bad input naming the field, and writes nothing (%#: %s)', async (override, field) => {
        const ctx = testContext(db);
        const error = await submitReferral(ctx, sampleReferral(override as never), 'u').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).problems.map((p) => p.field)).toContain(field);
        for (const table of ['cases', 'case_details', 'case_events', 'clocks', 'audit_log', 'reference_counters']) {
          expect(await count(db, table), table).toBe(0);
        }
      });

      it('rejects a referral missing a required field by name', async () => {
        const { referrer: _omit, ...withoutReferrer } = sampleReferral();
        const error = await submitReferral(testContext(db), withoutReferrer, 'u').catch((e: unknown) => e);
        expect((error as ValidationError).problems).toContainEqual({ field: 'referrer', message: expect.any(String) });
      });
    });

    describe('full referral details', () => {
      it('are shown to a role the profile allows, and every view is audited', async () => {
        const ctx = testContext(db);
        const { case: c } = await submitReferral(ctx, sampleReferral(), 'user-referrer');
        await assignRole(db, { role: 'business_manager', scope: '', userId: 'user-bm' });
        expect((await readCaseDetails(ctx, c.id, 'user-bm')).child.name).toBe('Alexandra Testcase');
        const views = (await auditEntriesForCase(db, c.id)).filter((e) => e.action === 'details_viewed');
        expect(views.map((e) => [e.actor, e.details])).toEqual([['user-bm', { reference: c.reference, role: 'business_manager' }]]);
      });

      it('are refused to anyone else, and the refusal names no child detail', async () => {
        const ctx = testContext(db);
        const { case: c } = await submitReferral(ctx, sampleReferral(), 'user-referrer');
        await assignRole(db, { role: 'engine_room', scope: '', userId: 'user-er' });
        const error = await readCaseDetails(ctx, c.id, 'user-er').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ForbiddenError);
        expect(String(error)).toContain(c.reference);
        expect(String(error)).not.toMatch(/Alexandra|Testcase/);
        expect((await auditEntriesForCase(db, c.id)).map((e) => e.action)).toEqual(['referral_submitted']);
      });
    });

    describe('DSP votes', () => {
      async function openCase() {
        await assignDsps(db);
        const clock = fakeClock('2026-11-19T10:00:00Z');
        const ctx = testContext(db, clock);
        const { case: c } = await submitReferral(ctx, sampleReferral(), 'user-referrer');
        return { ctx, clock, caseId: c.id };
      }
      const vote = (caseId: string, agency: keyof typeof DSP, decision = 'notify') => ({
        caseId,
        agency,
        decision,
        rationale: `Fictional rationale from the ${agency} DSP.`,
      });

      it('records each agency once, and the third agreeing vote makes the collective decision', async () => {
        const { ctx, clock, caseId } = await openCase();
        clock.set('2026-11-20T09:00:00Z');
        const a = await castVote(ctx, vote(caseId, 'local_authority'), DSP.local_authority);
        expect(a.outcome).toEqual({ kind: 'waiting', waitingFor: ['police', 'health'] });
        await castVote(ctx, vote(caseId, 'police'), DSP.police);
        const c = await castVote(ctx, vote(caseId, 'health'), DSP.health);
        expect(c.outcome).toEqual({ kind: 'agreed', outcome: 'notify' });
        expect(c.case.stage).toBe('notification');
        expect((await findCase(db, caseId))?.stage).toBe('notification');
        const dsp = (await listClocks(db, caseId)).find((k) => k.clockId === 'dsp_decision')!;
        expect(dsp.state).toBe('met');
        const events = await listCaseEvents(db, caseId);
        expect(events.map((e) => e.type)).toEqual(['referral_received', 'la_aware', 'notification_decision', 'forwarded_to_notifier']);
        expect(events[2]?.data).toMatchObject({ outcome: 'notify', rule: 'unanimous' });
        // The LA was aware from receipt on Thursday 19 Nov: the Panel is due to be notified by Thursday 26 Nov.
        expect((await listClocks(db, caseId)).find((k) => k.clockId === 'panel_notification')).toMatchObject({
          state: 'pending',
          dueDate: '2026-11-26',
        });
      });

      it('sends a disagreement to dispute resolution', async () => {
        const { ctx, caseId } = await openCase();
        await castVote(ctx, vote(caseId, 'local_authority'), DSP.local_authority);
        await castVote(ctx, vote(caseId, 'police', 'do_not_notify'), DSP.police);
        const last = await castVote(ctx, vote(caseId, 'health'), DSP.health);
        expect(last.outcome.kind).toBe('disagreed');
        expect(last.case.stage).toBe(ctx.profile.notificationDecision.onDisagreement.next);
      });

      it('ignores a repeated click: nothing more is written', async () => {
        const { ctx, caseId } = await openCase();
        await castVote(ctx, vote(caseId, 'police'), DSP.police);
        const auditBefore = await count(db, 'audit_log');
        const again = await castVote(ctx, vote(caseId, 'police'), DSP.police);
        expect(again).toMatchObject({ effect: 'unchanged', recorded: false });
        expect((await listVotes(db, caseId)).map((v) => [v.agency, v.decision])).toEqual([['police', 'notify']]);
        expect(await count(db, 'audit_log')).toBe(auditBefore);
      });

      it('lets a DSP change their vote before the decision closes, and audits the change', async () => {
        const { ctx, caseId } = await openCase();
        await castVote(ctx, vote(caseId, 'police'), DSP.police);
        const changed = await castVote(
          ctx,
          { ...vote(caseId, 'police', 'learning_review'), rationale: 'On reflection, learning review.' },
          DSP.police,
        );
        expect(changed.effect).toBe('changed');
        expect((await listVotes(db, caseId)).map((v) => [v.agency, v.decision])).toEqual([['police', 'learning_review']]);
        const audit = (await auditEntriesForCase(db, caseId)).filter((e) => e.action === 'vote_changed');
        expect(audit[0]?.details).toMatchObject({
          previousDecision: 'notify',
          decision: 'learning_review',
          rationale: 'On reflection, learning review.',
        });
      });

      it('sends a unanimous learning-review decision to the Engine Room', async () => {
        const { ctx, caseId } = await openCase();
        for (const agency of ['local_authority', 'police', 'health'] as const)
          await castVote(ctx, vote(caseId, agency, 'learning_review'), DSP[agency]);
        expect((await findCase(db, caseId))?.stage).toBe('learning_review');
      });

      it('keeps each DSP\'s rationale with a "do not notify" decision, for the reply to the referrer', async () => {
        const { ctx, caseId } = await openCase();
        let last;
        for (const agency of ['local_authority', 'police', 'health'] as const)
          last = await castVote(ctx, vote(caseId, agency, 'do_not_notify'), DSP[agency]);
        expect(last?.decided).toEqual({ outcome: 'do_not_notify', stage: 'closed' });
        const decision = (await listCaseEvents(db, caseId)).find((e) => e.type === 'notification_decision');
        expect(decision?.data).toMatchObject({
          outcome: 'do_not_notify',
          votes: { police: { decision: 'do_not_notify', rationale: 'Fictional rationale from the police DSP.' } },
        });
      });

      it.each([
        ['<b>bold</b> claim', 'rationale', 'HTML tags'],
        ['x'.repeat(4001), 'rationale', 'at most 4000'],
      ])('refuses a rationale that is not plain text or too long (%#)', async (rationale, field, message) => {
        const { ctx, caseId } = await openCase();
        const error = await castVote(ctx, { ...vote(caseId, 'health'), rationale }, DSP.health).catch((e: unknown) => e);
        expect((error as ValidationError).problems).toEqual([{ field, message: expect.stringContaining(message) }]);
        expect(await count(db, 'votes')).toBe(0);
      });

      it("refuses a vote from someone who is not that agency's DSP, writing nothing", async () => {
        const { ctx, caseId } = await openCase();
        await expect(castVote(ctx, vote(caseId, 'health'), DSP.police)).rejects.toThrow(ForbiddenError);
        expect(await count(db, 'votes')).toBe(0);
      });

      it('refuses a vote without a rationale, naming the field', async () => {
        const { ctx, caseId } = await openCase();
        const error = await castVote(ctx, { ...vote(caseId, 'health'), rationale: '  ' }, DSP.health).catch((e: unknown) => e);
        expect((error as ValidationError).problems).toEqual([
          { field: 'rationale', message: expect.stringContaining('every decision is recorded with its reason') },
        ]);
      });

      it('refuses a changed vote once the decision is made, but shrugs off a late repeated click', async () => {
        const { ctx, caseId } = await openCase();
        await castVote(ctx, vote(caseId, 'local_authority', 'do_not_notify'), DSP.local_authority);
        await castVote(ctx, vote(caseId, 'police', 'do_not_notify'), DSP.police);
        await castVote(ctx, vote(caseId, 'health', 'do_not_notify'), DSP.health);
        await expect(castVote(ctx, vote(caseId, 'health', 'notify'), DSP.health)).rejects.toThrow(ConflictError);
        expect((await castVote(ctx, vote(caseId, 'health', 'do_not_notify'), DSP.health)).effect).toBe('unchanged');
      });

      it('three DSPs voting at once, each clicking several times, give one vote each, one decision and an unbroken chain', async () => {
        const { ctx, caseId } = await openCase();
        const clicks = (['local_authority', 'police', 'health'] as const).flatMap((agency) =>
          Array.from({ length: 10 }, () => castVote(ctx, vote(caseId, agency), DSP[agency])),
        );
        const results = await Promise.all(clicks);
        expect(results.filter((r) => r.recorded)).toHaveLength(3);
        expect((await listVotes(db, caseId)).map((v) => v.agency).sort()).toEqual(['health', 'local_authority', 'police']);
        expect((await listCaseEvents(db, caseId)).filter((e) => e.type === 'notification_decision')).toHaveLength(1);
        const audit = await auditEntriesForCase(db, caseId);
        expect(audit.map((e) => e.action).sort()).toEqual(['decision_made', 'referral_submitted', 'vote_cast', 'vote_cast', 'vote_cast']);
        expect(await verifyAuditChain(db)).toEqual({ ok: true, entries: 5, problems: [] });
      });
    });

    describe('the audit log', () => {
      async function fiveEntries() {
        for (let i = 1; i <= 5; i += 1) {
          await db.transaction((tx) =>
            appendAudit(tx, { at: new Date(`2026-11-19T10:0${i}:00Z`), actor: 'system:test', action: 'test', details: { i } }),
          );
        }
      }

      it('chains each entry to the one before, and verifies', async () => {
        await fiveEntries();
        const result = await verifyAuditChain(db, 2);
        expect(result).toEqual({ ok: true, entries: 5, problems: [] });
      });

      it('refuses updates and deletes', async () => {
        await fiveEntries();
        await expect(db.query(`UPDATE audit_log SET action = 'edited' WHERE seq = 2`)).rejects.toThrow(/append-only/);
        await expect(db.query('DELETE FROM audit_log WHERE seq = 2')).rejects.toThrow(/append-only/);
      });

      describe('with the append-only trigger switched off, as someone with database rights could', () => {
        beforeEach(async () => {
          await fiveEntries();
          await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        });

        it('reports an edited entry as tampered', async () => {
          await db.query(`UPDATE audit_log SET details = '{"i": 99}' WHERE seq = 3`);
          expect((await verifyAuditChain(db)).problems).toEqual([{ kind: 'tampered', seq: 3 }]);
        });

        it('reports a deleted entry as missing', async () => {
          await db.query('DELETE FROM audit_log WHERE seq = 2');
          expect((await verifyAuditChain(db)).problems).toEqual([
            { kind: 'missing', seq: 2 },
            { kind: 'broken_link', seq: 3 },
          ]);
        });

        it('reports the newest entries deleted as missing', async () => {
          await db.query('DELETE FROM audit_log WHERE seq >= 4');
          expect((await verifyAuditChain(db)).problems).toEqual([
            { kind: 'missing', seq: 4 },
            { kind: 'missing', seq: 5 },
          ]);
        });

        it('reports an entry rewritten with a recomputed hash as a broken link', async () => {
          await db.query(`UPDATE audit_log SET prev_hash = 'forged' WHERE seq = 4`);
          const problems = (await verifyAuditChain(db)).problems;
          expect(problems[0]).toEqual({ kind: 'tampered', seq: 4 });
        });
      });
    });
  });
}
