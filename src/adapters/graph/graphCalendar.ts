import type { Client } from '@microsoft/microsoft-graph-client';

import type { BookedEvent, CalendarGateway, PersonSchedule } from '../../app/meetings/calendarGateway.ts';
import { DeliveryFailure } from '../../app/outbox/deliveryFailure.ts';
import { outsideWorkingHours } from '../../domain/meetings/workingHours.ts';

/** getSchedule takes many addresses, but we keep each call within the JSON batch limit of 20. */
const SCHEDULES_PER_CALL = 20;

const utc = (d: Date) => ({ dateTime: d.toISOString().replace('Z', ''), timeZone: 'UTC' });
const fromGraph = (t: { dateTime: string }) => new Date(`${t.dateTime.replace(/\.\d+$/, '')}Z`);

function toFailure(error: unknown): DeliveryFailure {
  const e = error as { statusCode?: number; code?: string; message?: string; name?: string };
  const status = e.statusCode;
  if (status === 429 || status === 503 || status === 504 || status === undefined || status <= 0) {
    // The graph-client reports an aborted fetch (our timeout) as a GraphError with status -1.
    const timedOut = /abort|timeout|timed out/i.test(`${e.name ?? ''} ${e.code ?? ''} ${e.message ?? ''}`);
    return new DeliveryFailure('transient', `Microsoft Graph: ${status && status > 0 ? status : timedOut ? 'timed out' : 'unreachable'}`);
  }
  if (status >= 500) return new DeliveryFailure('transient', `Microsoft Graph answered ${status}`);
  return new DeliveryFailure('permanent', `Microsoft Graph refused the request (${status} ${e.code ?? ''})`.trim());
}

/** The calendar over Microsoft Graph, with application permissions, acting as the partnership mailbox. */
export function createGraphCalendar(client: Client): CalendarGateway {
  return {
    async getSchedule(organizer, people, from, to) {
      const result: PersonSchedule[] = [];
      for (let i = 0; i < people.length; i += SCHEDULES_PER_CALL) {
        const chunk = people.slice(i, i + SCHEDULES_PER_CALL);
        let response: {
          value: {
            scheduleId: string;
            error?: unknown;
            scheduleItems?: { start: { dateTime: string }; end: { dateTime: string }; status: string }[];
            workingHours?: { daysOfWeek?: string[]; startTime?: string; endTime?: string; timeZone?: { name?: string } };
          }[];
        };
        try {
          response = await client
            .api(`/users/${encodeURIComponent(organizer)}/calendar/getSchedule`)
            .header('Prefer', 'outlook.timezone="UTC"')
            .post({ schedules: chunk, startTime: utc(from), endTime: utc(to), availabilityViewInterval: 30 });
        } catch (error) {
          throw toFailure(error);
        }
        for (const info of response.value) {
          const wh = info.workingHours;
          // Outside someone's working hours counts as busy, in their own time zone.
          const offHours =
            wh?.daysOfWeek && wh.startTime && wh.endTime && wh.timeZone?.name
              ? (outsideWorkingHours(
                  { daysOfWeek: wh.daysOfWeek, startTime: wh.startTime, endTime: wh.endTime, timeZone: wh.timeZone.name },
                  from,
                  to,
                ) ?? [])
              : [];
          result.push({
            email: info.scheduleId,
            readable: !info.error,
            busy: [
              ...(info.scheduleItems ?? [])
                .filter((item) => item.status !== 'free')
                .map((item) => ({ start: fromGraph(item.start), end: fromGraph(item.end) })),
              ...offHours,
            ],
          });
        }
      }
      return result;
    },

    async createEvent(event): Promise<BookedEvent> {
      let created: {
        id: string;
        onlineMeeting?: { joinUrl?: string } | null;
        start?: { dateTime: string; timeZone?: string };
        end?: { dateTime: string; timeZone?: string };
      };
      try {
        created = await client.api(`/users/${encodeURIComponent(event.organizer)}/events`).post({
          subject: event.subject,
          body: { contentType: 'HTML', content: event.bodyHtml },
          start: utc(event.start),
          end: utc(event.end),
          attendees: event.attendees.map((a) => ({
            emailAddress: { address: a.email, name: a.name },
            type: a.required ? 'required' : 'optional',
          })),
          isOnlineMeeting: true,
          onlineMeetingProvider: 'teamsForBusiness',
          allowNewTimeProposals: true,
          transactionId: event.transactionId,
        });
      } catch (error) {
        throw toFailure(error);
      }
      // Times come back in the zone they were created in (UTC here); only UTC ones are read, others left to the request's.
      const at = (t?: { dateTime: string; timeZone?: string }) =>
        t?.dateTime && (!t.timeZone || t.timeZone === 'UTC') ? { value: fromGraph(t) } : undefined;
      const start = at(created.start);
      const end = at(created.end);
      return {
        id: created.id,
        ...(created.onlineMeeting?.joinUrl ? { joinUrl: created.onlineMeeting.joinUrl } : {}),
        ...(start && end ? { start: start.value, end: end.value } : {}),
      };
    },

    async getResponses(organizer, eventId) {
      let event: { isCancelled?: boolean; attendees?: { emailAddress: { address: string }; status?: { response?: string } }[] };
      try {
        event = await client
          .api(`/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}`)
          .select(['attendees', 'isCancelled'])
          .get();
      } catch (error) {
        throw toFailure(error);
      }
      return {
        cancelled: Boolean(event.isCancelled),
        responses: Object.fromEntries(
          (event.attendees ?? []).map((a) => [a.emailAddress.address.toLowerCase(), (a.status?.response ?? 'none') as never]),
        ),
      };
    },

    async cancelEvent(organizer, eventId, comment) {
      try {
        await client.api(`/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}/cancel`).post({ comment });
      } catch (error) {
        throw toFailure(error);
      }
    },

    async moveEvent(organizer, eventId, start, end) {
      try {
        await client
          .api(`/users/${encodeURIComponent(organizer)}/events/${encodeURIComponent(eventId)}`)
          .patch({ start: utc(start), end: utc(end) });
      } catch (error) {
        throw toFailure(error);
      }
    },
  };
}
