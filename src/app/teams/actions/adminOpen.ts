import { adminActions } from '../adminActions.ts';
import { adminFormData } from './adminData.ts';
import { cardAction } from './cardAction.ts';

/** The admin card (typed "admin", or a confirmation's "Back", which carries the choices shown). */
export const adminOpen = cardAction({
  verb: 'admin.open',
  data: adminFormData,
  handle: async (data, actor, deps) => (await adminActions(deps)['admin.open'](data, actor)).card,
});
