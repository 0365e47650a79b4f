import type { IsoDate } from '../calendar/isoDate.ts';
import type { CaseEvent } from '../case/caseEvent.ts';
import type { Referral, ReferralType } from './referralSchema.ts';

/**
 * The facts of a referral that the rules depend on, carried on its `referral_received` event so a
 * profile's conditions and clocks can see them (the full referral stays in the case record, read only
 * by the roles allowed to). Never shown in a channel: a card shows what the rules make of them.
 *
 * - the child's status at the time and whether the child died: a looked-after child's death must be
 *   notified to the Secretary of State and Ofsted "whether or not abuse or neglect is known or
 *   suspected" (002 L21, 001 L58, 004 s.5.3), and in Stockport a looked-after child is always
 *   notifiable to the Panel (003 Appendix A 1.2, Appendix C L614);
 * - the incident date: Darlington's referral form "should be submitted within 1 working day" of it
 *   (004 s.4.5), and the date of death where the form gives it apart (004 Appendix 1 section 2); a
 *   date of death makes `isDeath` true (referralSchema.ts).
 */
export interface ReferralFacts {
  readonly referralType: ReferralType;
  readonly childStatus: Referral['child']['statusAtTime'];
  readonly isDeath: boolean;
  readonly incidentOn: IsoDate;
  readonly diedOn?: IsoDate;
}

export function referralFacts(referral: Referral): ReferralFacts {
  return {
    referralType: referral.type,
    childStatus: referral.child.statusAtTime,
    isDeath: referral.incident.isDeath,
    incidentOn: referral.incident.date,
    ...(referral.incident.diedOn ? { diedOn: referral.incident.diedOn } : {}),
  };
}

/** The facts as recorded on the case (a case opened before they were carried has none). */
export function recordedReferralFacts(events: readonly CaseEvent[]): Partial<ReferralFacts> {
  return (events.find((e) => e.type === 'referral_received')?.data ?? {}) as Partial<ReferralFacts>;
}
