// The safeguarding review tracker in one resource group: a user-assigned managed identity that is the
// bot's identity, Graph's and the database's; the Azure Bot with its Teams channel; App Service on
// Linux (Node 22 LTS); Key Vault (RBAC) for any secret; Azure Database for PostgreSQL flexible server
// with Entra authentication only; Log Analytics and Application Insights.
// Deploy: az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json

@description('Short name used in every resource name, e.g. hsscp-reviews.')
@minLength(3)
@maxLength(20)
param baseName string

param location string = resourceGroup().location

@description('The partnership profile: hsscp, nel, stockport, darlington or southtees.')
param profile string = 'hsscp'

@description('The partnership mailbox: organizer of the meetings and sender of the emails.')
param partnershipMailbox string

@description('The Teams app id used in the manifest (a GUID you choose).')
param teamsAppId string

@description('Comma-separated Entra object ids allowed to administer before a business manager is set.')
param adminUserIds string = ''

@description('Comma-separated tenant ids whose people may act through the bot (default: this tenant).')
param allowedTenantIds string = ''

@description('The Entra app the tab signs in with (SSO); default: the managed identity.')
param tabSsoClientId string = ''

@description('The daily digest time, London, HH:MM.')
param digestTime string = '08:30'

@allowed(['B1', 'P0v3', 'P1v3'])
param appServiceSku string = 'B1'

var suffix = uniqueString(resourceGroup().id)
var siteName = '${baseName}-${suffix}'
var dbName = 'reviews'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-identity'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${baseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${baseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${baseName}kv${suffix}', 24)
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

// Key Vault Secrets User, for app settings that reference secrets (none are needed with the managed identity).
resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, 'kv-secrets-user')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: '${baseName}-pg-${suffix}'
  location: location
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: '16'
    storage: { storageSizeGB: 32 }
    backup: { backupRetentionDays: 35, geoRedundantBackup: 'Disabled' }
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = {
  parent: postgres
  name: dbName
}

// The managed identity is the database's Entra administrator: the service signs in with its token.
resource databaseAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2022-12-01' = {
  parent: postgres
  name: identity.properties.principalId
  properties: {
    principalType: 'ServicePrincipal'
    principalName: identity.name
    tenantId: tenant().tenantId
  }
}

resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource plan 'Microsoft.Web/serverfarms@2023-01-01' = {
  name: '${baseName}-plan'
  location: location
  kind: 'linux'
  sku: { name: appServiceSku }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: siteName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node dist/main.js'
      healthCheckPath: '/healthz'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      // Every setting src/config.ts reads, and no other (test/infra/bicep.test.ts checks both).
      appSettings: [
        { name: 'PORT', value: '8080' }
        { name: 'DATABASE_URL', value: 'postgres://${identity.name}@${postgres.properties.fullyQualifiedDomainName}:5432/${dbName}?sslmode=require' }
        { name: 'DATABASE_AUTH', value: 'entra' }
        { name: 'MANAGED_IDENTITY_CLIENT_ID', value: identity.properties.clientId }
        { name: 'DATA_DIR', value: '/home/data' }
        { name: 'PROFILE', value: profile }
        { name: 'PROFILE_FILE', value: '' }
        { name: 'BANK_HOLIDAYS_FILE', value: '' }
        { name: 'PEOPLE_FILE', value: '' }
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppTenantId', value: tenant().tenantId }
        // A managed identity must not have a password.
        { name: 'MicrosoftAppPassword', value: '' }
        { name: 'BOT_OPENID_METADATA_URL', value: 'https://login.botframework.com/v1/.well-known/openidconfiguration' }
        { name: 'ALLOWED_TENANT_IDS', value: allowedTenantIds }
        { name: 'ADMIN_USER_IDS', value: adminUserIds }
        { name: 'PLAYGROUND', value: 'off' }
        { name: 'DIGEST_TIME', value: digestTime }
        { name: 'WATCH_INTERVAL_SECONDS', value: '60' }
        { name: 'OUTBOX_LEASE_SECONDS', value: '60' }
        { name: 'GRAPH_AUTH', value: 'managed_identity' }
        { name: 'GRAPH_TENANT_ID', value: tenant().tenantId }
        { name: 'GRAPH_CLIENT_ID', value: identity.properties.clientId }
        // Not used with the managed identity; a Key Vault reference goes here if a secret is ever needed.
        { name: 'GRAPH_CLIENT_SECRET', value: '' }
        { name: 'GRAPH_CERTIFICATE_PATH', value: '' }
        { name: 'PUBLIC_URL', value: 'https://${siteName}.azurewebsites.net' }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
        { name: 'TAB_SSO_CLIENT_ID', value: tabSsoClientId }
        { name: 'TAB_SSO_JWKS_URL', value: 'https://login.microsoftonline.com/common/discovery/v2.0/keys' }
        { name: 'PARTNERSHIP_MAILBOX', value: partnershipMailbox }
        { name: 'LOG_LEVEL', value: 'info' }
      ]
    }
  }
}

// Structured logs (stdout) and HTTP logs to Log Analytics.
resource siteLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-bot'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'S1' }
  properties: {
    displayName: 'Safeguarding reviews'
    endpoint: 'https://${siteName}.azurewebsites.net/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenant().tenantId
    developerAppInsightKey: insights.properties.InstrumentationKey
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output appUrl string = 'https://${siteName}.azurewebsites.net'
output botAppId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId
output postgresHost string = postgres.properties.fullyQualifiedDomainName
