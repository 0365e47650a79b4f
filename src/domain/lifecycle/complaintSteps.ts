import { dayMonth } from '../time/formatLondon.ts';
import { dayOf, fieldOf, itemsOf, profileTracks } from './caseFacts.ts';
import type { CaseState, LifecycleStep } from './lifecycleStep.ts';

const complaints = (s: CaseState) => itemsOf(s, 'complaint_received', 'complaint_answered');

/**
 * Complaints from members of the public about a decision or review (Stockport, 003 "Complaints &
 * Escalation Procedure" L457-463): each is recorded, has its own clock for the written response
 * ("within 28 days of receipt"), and its response is recorded with what every response must include.
 * A professional uses the Greater Manchester escalation process instead (L453). A complaint can come at
 * any time, after the case has closed too, so these steps never wait on the case's stage.
 */
export const complaintSteps: readonly LifecycleStep[] = [
  {
    id: 'complaint_received',
    title: 'Record a complaint from a member of the public',
    roles: ['business_manager'],
    adHoc: true,
    available: (s) => profileTracks(s.profile, 'complaint_received'),
    fields: (s) => [
      { id: 'receivedOn', label: 'Date the complaint was received', kind: 'date', required: true, tense: 'past', notBefore: s.receivedOn },
      {
        id: 'about',
        label: 'What the complaint is about: which decision or review (no names of the child, the family or the complainant)',
        kind: 'longText',
        required: true,
        maxLength: 2000,
      },
    ],
    plan: (v, s) => {
      const itemId = `C${complaints(s).length + 1}`;
      return {
        // Its clock counts from the day it was received, not the day it was recorded.
        events: [{ type: 'complaint_received', on: v.receivedOn as string, data: { itemId, receivedOn: v.receivedOn, about: v.about } }],
        note: `complaint ${itemId} received on ${dayMonth(v.receivedOn as string)}: a written response is due within 28 days of receipt`,
      };
    },
  },
  {
    id: 'complaint_answered',
    title: 'Record the written response to a complaint',
    roles: ['business_manager'],
    available: (s) => complaints(s).some((c) => !c.closed),
    fields: (s) => {
      const open = complaints(s).filter((c) => !c.closed);
      const mustInclude = s.profile.complaints?.responseMustInclude;
      return [
        {
          id: 'itemId',
          label: 'Complaint',
          kind: 'choice',
          required: true,
          options: open.map((c) => ({
            value: c.itemId,
            title: `${c.itemId}: received ${dayMonth(fieldOf(c.event, 'receivedOn') || dayOf(c.event)!)}`,
          })),
        },
        {
          id: 'answeredOn',
          label: 'Date the written response was sent',
          kind: 'date',
          required: true,
          tense: 'past',
          notBefore: dayOf(open[0]?.event),
        },
        {
          id: 'consulted',
          label: 'Head of Service consulted (optional: the service)',
          kind: 'text',
          required: false,
          maxLength: 200,
        },
        ...(mustInclude
          ? [{ id: 'mustInclude', label: `The response follows the procedure: "${mustInclude}"`, kind: 'confirm' as const }]
          : []),
      ];
    },
    plan: (v, s) => {
      const complaint = complaints(s).find((c) => c.itemId === v.itemId)!;
      const receivedOn = fieldOf(complaint.event, 'receivedOn') || dayOf(complaint.event)!;
      if ((v.answeredOn as string) < receivedOn)
        return [{ field: 'answeredOn', message: `must not be before ${receivedOn}, when ${complaint.itemId} was received` }];
      const mustInclude = s.profile.complaints?.responseMustInclude;
      return {
        events: [
          {
            type: 'complaint_answered',
            on: v.answeredOn as string,
            data: {
              itemId: complaint.itemId,
              answeredOn: v.answeredOn,
              ...(v.consulted ? { consulted: v.consulted } : {}),
              ...(mustInclude ? { included: mustInclude } : {}),
            },
          },
        ],
        note: `written response to complaint ${complaint.itemId} sent on ${dayMonth(v.answeredOn as string)}${mustInclude ? `; it follows the procedure: "${mustInclude}"` : ''}`,
      };
    },
  },
];
