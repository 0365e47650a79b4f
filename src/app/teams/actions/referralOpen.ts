import { z } from 'zod';

import { londonDateOf } from '../../../domain/time/londonTime.ts';
import { renderCard } from '../../cards/cardTemplates.ts';
import { referralFormData } from '../../cards/referralForm.ts';
import { cardAction } from './cardAction.ts';

/** "New referral": the empty referral form (also what typing "new referral" answers). */
export const referralOpen = cardAction({
  verb: 'referral.open',
  data: z.looseObject({}),
  handle: async (_data, _actor, { ctx }) => renderCard('referralForm', referralFormData(ctx.profile, londonDateOf(ctx.now()))),
});
