export interface PostActivityOptions {
  /** A channel token: sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** The raw Authorization header instead (forged variants); `undefined` sends none. */
  authorization?: string;
}

export interface PostActivityResult {
  status: number;
  /** Parsed JSON when the bot answered JSON, the text otherwise, undefined when empty. */
  body: unknown;
}

/** POSTs an activity to the bot's `/api/messages` over real HTTP, as the Bot Framework channel does. */
export async function postActivity(botUrl: string, activity: unknown, options: PostActivityOptions = {}): Promise<PostActivityResult> {
  const url = botUrl.endsWith('/api/messages') ? botUrl : `${botUrl.replace(/\/$/, '')}/api/messages`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const authorization = options.token !== undefined ? `Bearer ${options.token}` : options.authorization;
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  if (text && response.headers.get('content-type')?.includes('json')) body = JSON.parse(text) as unknown;
  return { status: response.status, body };
}
