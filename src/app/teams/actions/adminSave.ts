import { adminActions } from '../adminActions.ts';
import { adminFormData } from './adminData.ts';
import { cardAction } from './cardAction.ts';

/** "Save" on the admin card, and "Confirm changes" on what a save would change. */
export const adminSave = cardAction({
  verb: 'admin.save',
  data: adminFormData,
  handle: async (data, actor, deps, turn) => (await adminActions(deps)['admin.save'](data, actor, turn)).card,
  recordedNotShown: 'Your changes to who does what were saved, but the card could not be shown: type "admin" to see them.',
});
