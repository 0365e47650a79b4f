import type { PlaygroundConfigInput } from './playgroundConfig.ts';

/**
 * The local demo's people, all obviously fictional. In the playground you are one person and cannot
 * switch, so "you" hold every role needed to walk a referral through: the three DSPs (the card moves
 * to the next agency after each vote), the business manager, the Hartlepool notifier, the rapid
 * review chair and the partnership chair. The others
 * fill the team, as the playground needs exactly five more people.
 */
const person = (n: string, name: string, given: string, surname: string) => ({
  aadObjectId: `00000000-0000-4000-8000-0000000d${n}`,
  name,
  givenName: given,
  surname,
  email: `${given.toLowerCase()}.${surname.toLowerCase()}@demo-partnership.example`,
});

export const DEMO_YOU = person('0001', 'Robin Demo-Partner (you)', 'Robin', 'Demo-Partner');
const others = [
  person('0002', 'Alex Demo-Council', 'Alex', 'Demo-Council'),
  person('0003', 'Sam Demo-Police', 'Sam', 'Demo-Police'),
  person('0004', 'Jo Demo-Health', 'Jo', 'Demo-Health'),
  person('0005', 'Kim Demo-Notifier', 'Kim', 'Demo-Notifier'),
  person('0006', 'Lee Demo-EngineRoom', 'Lee', 'Demo-EngineRoom'),
];

export const DEMO_PLAYGROUND: PlaygroundConfigInput = {
  currentUser: DEMO_YOU,
  users: others,
  team: { name: 'Demo Safeguarding Partnership', channels: [{ id: '19:demo-cases@thread.tacv2', name: 'Cases' }] },
};

/** The same people as a PEOPLE_FILE, for the HSSCP profile. */
export const DEMO_PEOPLE_FILE = {
  dsp: { local_authority: DEMO_YOU.aadObjectId, police: DEMO_YOU.aadObjectId, health: DEMO_YOU.aadObjectId },
  la_notifier: { Hartlepool: [DEMO_YOU.aadObjectId], 'Stockton-on-Tees': [others[3]!.aadObjectId] },
  business_manager: [DEMO_YOU.aadObjectId],
  engine_room: [others[4]!.aadObjectId],
  rr_chair: [DEMO_YOU.aadObjectId],
  partnership_chair: [DEMO_YOU.aadObjectId],
};
