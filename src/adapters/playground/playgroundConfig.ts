// The `.m365agentsplayground.yml` the Microsoft 365 Agents Playground (npm
// @microsoft/m365agentsplayground 0.2.28) reads: for the local demo and for end-to-end tests.
//
// What the playground does with the YAML (read in its bundled source, dist/index.js):
// - It is validated against a JSON schema (version "0.1.1"): `users` must hold EXACTLY 5 people,
//   `team.channels` at most 1 (the General channel always exists and its id IS the team id), every
//   user needs id, name, userPrincipleName (sic), aadObjectId, givenName, surname, email.
// - A message or invoke from a person reaches the bot with from.id = the YAML `id` and
//   from.aadObjectId = the YAML `aadObjectId` (from.name = `name` on messages and invokes).
// - Channel activities carry channelData.team.id = team.id and channelData.channel.id = channel id
//   (plus teamsTeamId/teamsChannelId on messages); the conversation id of a channel thread is
//   `<channelId>;messageid=<rootMessageId>`.
import { writeFileSync } from 'node:fs';

// ---------------------------------------------------------------------------------------------
// Configuration file
// ---------------------------------------------------------------------------------------------

export interface PlaygroundUserInput {
  /** Channel account id (activity.from.id). Defaults to `29:<aadObjectId>`, Teams' shape. */
  id?: string;
  name: string;
  /** Entra object id (activity.from.aadObjectId). */
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
}

export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
  email: string;
  userPrincipalName: string;
  givenName: string;
  surname: string;
}

export interface PlaygroundConfigInput {
  currentUser: PlaygroundUserInput;
  /** Other people in the tenant, the group chat and the team. The playground needs exactly 5; fewer are padded with filler people, more is an error. */
  users: PlaygroundUserInput[];
  /** The team. Its General channel always exists and has the team's id; `channels` adds at most one more. */
  team: { name: string; id?: string; aadGroupId?: string; channels?: { id: string; name: string }[] };
  tenantId?: string;
  /** The bot's channel account (activity.recipient). `name` is what the @mention picker shows (max 42 characters). */
  bot?: { id: string; name: string };
  personalChatId?: string;
  groupChat?: { id: string; name: string };
}

export interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  /** The 5 other people, padding included. */
  users: PlaygroundUser[];
  personalChatId: string;
  groupChat: { id: string; name: string };
  team: { id: string; name: string; aadGroupId: string; channels: { id: string; name: string }[] };
  /** The General channel's id, which is the team id. */
  generalChannelId: string;
}

export const PLAYGROUND_USER_COUNT = 5;

function resolveUser(u: PlaygroundUserInput): PlaygroundUser {
  const [given, ...rest] = u.name.trim().split(/\s+/);
  const slug =
    u.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^\.|\.$/g, '') || 'user';
  const email = u.email ?? `${slug}@example.org`;
  return {
    id: u.id ?? `29:${u.aadObjectId}`,
    name: u.name,
    aadObjectId: u.aadObjectId,
    email,
    userPrincipalName: u.userPrincipalName ?? email,
    givenName: u.givenName ?? given ?? u.name,
    surname: u.surname ?? (rest.join(' ') || '-'),
  };
}

function fillerUser(n: number): PlaygroundUser {
  const aad = `00000000-0000-4000-8000-${String(900000000000 + n).padStart(12, '0')}`;
  return resolveUser({ name: `Filler Person${n}`, aadObjectId: aad, id: `29:filler-${n}` });
}

export function resolvePlaygroundConfig(input: PlaygroundConfigInput): PlaygroundConfig {
  if (input.users.length > PLAYGROUND_USER_COUNT) {
    throw new Error(`The playground takes exactly ${PLAYGROUND_USER_COUNT} users besides currentUser; got ${input.users.length}.`);
  }
  const channels = input.team.channels ?? [];
  if (channels.length > 1) {
    throw new Error('The playground supports the General channel plus at most one more channel.');
  }
  const users = input.users.map(resolveUser);
  for (let n = 1; users.length < PLAYGROUND_USER_COUNT; n += 1) users.push(fillerUser(n));
  const bot = input.bot ?? { id: '28:00000000-0000-0000-0000-0000000000b0', name: 'Test Bot' };
  if (bot.name.length > 42) throw new Error('The playground limits the bot name to 42 characters.');
  const teamId = input.team.id ?? '19:e2e-team-general@thread.tacv2';
  const config: PlaygroundConfig = {
    tenantId: input.tenantId ?? '00000000-0000-4000-8000-000000000001',
    bot,
    currentUser: resolveUser(input.currentUser),
    users,
    personalChatId: input.personalChatId ?? 'a:e2e-personal-chat',
    groupChat: input.groupChat ?? { id: '19:e2e-group-chat@thread.v2', name: 'Group Chat' },
    team: {
      id: teamId,
      name: input.team.name,
      aadGroupId: input.team.aadGroupId ?? '00000000-0000-4000-8000-000000000031',
      channels,
    },
    generalChannelId: teamId,
  };
  const userIds = [config.currentUser.id, ...config.users.map((u) => u.id)];
  if (new Set(userIds).size !== userIds.length) throw new Error('Playground user ids must be unique.');
  const convIds = [config.personalChatId, config.groupChat.id, config.team.id, ...channels.map((c) => c.id)];
  if (new Set(convIds).size !== convIds.length) {
    throw new Error('Personal chat, group chat, team and channel ids must be unique.');
  }
  return config;
}

const q = (s: string): string => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

function userYaml(u: PlaygroundUser, indent: string, first: string): string {
  return [
    `${first}id: ${q(u.id)}`,
    `${indent}name: ${q(u.name)}`,
    `${indent}userPrincipleName: ${q(u.userPrincipalName)}`, // sic: the playground's schema spells it so
    `${indent}aadObjectId: ${q(u.aadObjectId)}`,
    `${indent}givenName: ${q(u.givenName)}`,
    `${indent}surname: ${q(u.surname)}`,
    `${indent}email: ${q(u.email)}`,
  ].join('\n');
}

export function playgroundConfigYaml(config: PlaygroundConfig): string {
  const lines = [
    '# yaml-language-server: $schema=https://aka.ms/teams-app-test-tool-config/0.1.1/config.schema.json',
    '# Written by src/adapters/playground/playgroundConfig.ts',
    'version: "0.1.1"',
    `tenantId: ${q(config.tenantId)}`,
    'bot:',
    `  id: ${q(config.bot.id)}`,
    `  name: ${q(config.bot.name)}`,
    'currentUser:',
    userYaml(config.currentUser, '  ', '  '),
    'users:',
    ...config.users.map((u) => userYaml(u, '    ', '  - ')),
    'personalChat:',
    `  id: ${q(config.personalChatId)}`,
    'groupChat:',
    `  id: ${q(config.groupChat.id)}`,
    `  name: ${q(config.groupChat.name)}`,
    'team:',
    `  id: ${q(config.team.id)}`,
    `  name: ${q(config.team.name)}`,
    `  aadGroupId: ${q(config.team.aadGroupId)}`,
    config.team.channels.length ? '  channels:' : '  channels: []',
    ...config.team.channels.map((c) => `    - id: ${q(c.id)}\n      name: ${q(c.name)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Writes the YAML the playground reads and returns the resolved configuration (ids, padding). */
export function writePlaygroundConfig(path: string, input: PlaygroundConfigInput): PlaygroundConfig {
  const config = resolvePlaygroundConfig(input);
  writeFileSync(path, playgroundConfigYaml(config), 'utf8');
  return config;
}
