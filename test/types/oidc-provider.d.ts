/** The little of oidc-provider 9 (no bundled types) that the fake Google in test/helpers uses. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  type Ctx = {
    oidc: {
      client?: { clientId: string }
      provider: Provider
      session?: { accountId?: string }
    }
  }

  class Grant {
    constructor(args: { accountId: string; clientId: string })
    addOIDCScope(scope: string): void
    save(): Promise<string>
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown> & {
      findAccount?: (ctx: Ctx, id: string) => unknown
      interactions?: { url: (ctx: Ctx, interaction: { uid: string }) => string }
      loadExistingGrant?: (ctx: Ctx) => Promise<Grant | undefined>
    })
    Grant: typeof Grant
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>
  }
}
