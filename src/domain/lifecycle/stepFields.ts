import { z } from 'zod';

import { isIsoDate, type IsoDate } from '../calendar/isoDate.ts';
import { freeText } from '../validation/freeText.ts';
import type { FieldProblem } from '../validation/validationError.ts';

/**
 * The inputs a lifecycle step asks for, described once: the card draws them (Input.Date, Input.Text,
 * Input.ChoiceSet, Input.Toggle) and the same description validates what comes back, so a form and
 * its checks cannot drift apart. Values arrive as Adaptive Card inputs send them: strings, a
 * multi-select as "a,b", a toggle as "true"/"false".
 */
export interface Option {
  readonly value: string;
  readonly title: string;
}

interface Base {
  readonly id: string;
  readonly label: string;
}
export type StepField =
  /**
   * `past`: it happened (today or before, not before `notBefore`); `future`: it is planned (today or
   * later); `any`: either (an existing plan's deadline, which may already have passed).
   */
  | (Base & { readonly kind: 'date'; readonly required: boolean; readonly tense: 'past' | 'future' | 'any'; readonly notBefore?: IsoDate })
  | (Base & { readonly kind: 'text' | 'longText'; readonly required: boolean; readonly maxLength: number })
  | (Base & { readonly kind: 'choice' | 'multiChoice'; readonly required: boolean; readonly options: readonly Option[] })
  /** A statement the person must tick ("the Panel, Ofsted and the DfE were told"). */
  | (Base & { readonly kind: 'confirm' });

export type StepValues = Readonly<Record<string, string | readonly string[] | boolean | undefined>>;

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function checkOne(field: StepField, raw: unknown, today: IsoDate): { value?: string | string[] | boolean; problem?: string } {
  if (field.kind === 'confirm') return raw === true || raw === 'true' ? { value: true } : { problem: 'must be ticked to confirm' };
  if (blank(raw)) return field.required ? { problem: 'is required' } : {};
  if (typeof raw !== 'string') return { problem: 'must be text' };
  switch (field.kind) {
    case 'date': {
      if (!isIsoDate(raw)) return { problem: 'must be a date YYYY-MM-DD' };
      if (field.tense === 'past' && raw > today) return { problem: 'must not be in the future' };
      if (field.tense === 'future' && raw < today) return { problem: 'must not be in the past' };
      if (field.notBefore && raw < field.notBefore) return { problem: `must not be before ${field.notBefore}` };
      return { value: raw };
    }
    case 'text':
    case 'longText': {
      const parsed = freeText(field.maxLength).safeParse(raw);
      return parsed.success ? { value: parsed.data } : { problem: parsed.error.issues[0]!.message };
    }
    case 'choice':
      return field.options.some((o) => o.value === raw) ? { value: raw } : { problem: 'must be one of the choices offered' };
    case 'multiChoice': {
      const picked = [
        ...new Set(
          raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      if (picked.some((p) => !field.options.some((o) => o.value === p))) return { problem: 'must be among the choices offered' };
      if (picked.length === 0 && field.required) return { problem: 'choose at least one' };
      return { value: picked };
    }
  }
}

/** Checks submitted inputs against the fields: every problem named, or the clean values. Unknown inputs are ignored. */
export function readStepValues(
  fields: readonly StepField[],
  input: Readonly<Record<string, unknown>>,
  today: IsoDate,
): { values: StepValues; problems: FieldProblem[] } {
  const values: Record<string, string | string[] | boolean> = {};
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const { value, problem } = checkOne(field, input[field.id], today);
    if (problem) problems.push({ field: field.id, message: problem });
    else if (value !== undefined) values[field.id] = value;
  }
  return { values, problems };
}

/** Lines of a long text, trimmed, blanks dropped. */
export function linesOf(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
}

export const emailAddress = z.string().trim().email();
