/** The dashboard API, called with the signed-in person's token. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let token = '';
export function useToken(value: string): void {
  token = value;
}

async function call(path: string): Promise<Response> {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(res.status, body.error ?? `the server answered ${res.status}`);
  }
  return res;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await call(path)).json() as Promise<T>;
}

export async function getBlob(path: string): Promise<Blob> {
  return (await call(path)).blob();
}

export interface Me {
  name: string;
  roles: string[];
  canSeeDetails: boolean;
  partnership: string;
  profile: string;
  stages: { id: string; label: string }[];
}
export interface CaseRow {
  id: string;
  reference: string;
  initials: string;
  profileId: string;
  stage: string;
  stageLabel: string;
  closed: boolean;
  next?: { clock: string; dueDate: string; rag: 'red' | 'amber' | 'green'; owner: string };
}
export interface CaseView {
  id: string;
  reference: string;
  initials: string;
  ageBand: string;
  incidentDate: string;
  receivedAt: string;
  stageLabel: string;
  canSeeDetails: boolean;
  events: { type: string; at: string; data: Record<string, unknown> }[];
  clocks: {
    clockId: string;
    item: string;
    label: string;
    short: string;
    statutory: boolean;
    state: string;
    dueDate: string | null;
    /** Where the seed gives two starting points: the deadline's reading, and the other one beside it. */
    reads?: string;
    otherReading?: { reads: string; dueDate: string | null };
    completedAt: string | null;
    rag: string | null;
  }[];
  meetings: { kind: string; title: string | null; startsAt: string | null; endsAt: string | null; status: string }[];
  votes: { agency: string; decision: string; castAt: string; rationale?: string }[];
  audit: { seq: number; at: string; actor: string; action: string }[];
  auditChain: { ok: boolean; entries: number; problems: number };
}
export interface Charts {
  from: string;
  to: string;
  timeliness: { clockId: string; label: string; onTime: number; late: number; share: number | null }[];
  conversion: { rapidReviews: number; lcsprs: number; share: number | null };
  casesPerMonth: { month: string; cases: number }[];
}
