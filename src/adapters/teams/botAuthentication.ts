import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';

export interface BotIdentity {
  /** Empty: authentication off (the local demo with the Agents Playground). */
  readonly appId: string;
  readonly appType: 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';
  readonly tenantId?: string | undefined;
  readonly password?: string | undefined;
}

/**
 * The CloudAdapter with Bot Framework authentication from configuration: a managed identity in Azure,
 * a client secret elsewhere, none for the local demo. Tests pass the endpoint settings of a local
 * OpenID/JWKS server and a credentials factory, so the real token validation runs against them.
 */
export function createCloudAdapter(
  identity: BotIdentity,
  overrides: {
    endpoints?: Partial<ConfigurationBotFrameworkAuthenticationOptions>;
    credentialsFactory?: ServiceClientCredentialsFactory;
  } = {},
): CloudAdapter {
  // No app id: authentication off (botbuilder refuses an app type without an id).
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: identity.appId,
    ...(identity.appId ? { MicrosoftAppType: identity.appType } : {}),
    ...(identity.tenantId ? { MicrosoftAppTenantId: identity.tenantId } : {}),
    ...(identity.password ? { MicrosoftAppPassword: identity.password } : {}),
    ...overrides.endpoints,
  } as ConfigurationBotFrameworkAuthenticationOptions;
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options, overrides.credentialsFactory));
}
