/**
 * Limits on what sends email to an address someone else may type: password resets (per client
 * address, and per target email, so nobody floods a mailbox), sign-ups (the same rules) and
 * invitations (per workspace).
 * Counted like every other limit (rate-limiter-flexible; shared through Redis when configured).
 * The per-email count counts every email asked for, known or not, so a 429 tells nothing about
 * whether an account exists.
 */
import type { Config } from '../config.ts'
import { consumeOrRefuse, type LimiterFactory } from '../rate-limits/limiter-factory.ts'

export class AccountLimits {
  private readonly resetPerIp
  private readonly resetPerEmail
  private readonly invitesPerWorkspace
  private readonly signUpPerIp
  private readonly signUpPerEmail
  private readonly transcriptsPerAddress
  private readonly transcriptsPerWorkspace

  constructor(limiters: LimiterFactory, rules: Config['accountLimits']) {
    this.resetPerIp = limiters.create('password-reset-ip', rules.resetPerIp)
    this.resetPerEmail = limiters.create('password-reset-email', rules.resetPerEmail)
    this.invitesPerWorkspace = limiters.create('invitations-workspace', rules.invitesPerWorkspace)
    // Sign-up emails an address someone typed, like a reset: the same rules.
    this.signUpPerIp = limiters.create('sign-up-ip', rules.resetPerIp)
    this.signUpPerEmail = limiters.create('sign-up-email', rules.resetPerEmail)
    // A visitor's transcript goes to an address they typed, with text they wrote: without these a
    // widget would be a way to send anyone email from the workspace's domain.
    this.transcriptsPerAddress = limiters.create('transcripts-address', { points: 3, seconds: 3600 })
    this.transcriptsPerWorkspace = limiters.create('transcripts-workspace', { points: 500, seconds: 3600 })
  }

  async transcript(workspaceId: string, email: string): Promise<void> {
    await consumeOrRefuse(this.transcriptsPerAddress, email, 'this address got enough transcripts for now; try again later')
    await consumeOrRefuse(this.transcriptsPerWorkspace, workspaceId, 'too many transcripts from this site for now; try again later')
  }

  async passwordReset(ip: string, email: string): Promise<void> {
    await consumeOrRefuse(this.resetPerIp, ip, 'too many password resets from this address')
    await consumeOrRefuse(this.resetPerEmail, email, 'too many password resets for this email; check your inbox')
  }

  async signUp(ip: string, email: string): Promise<void> {
    await consumeOrRefuse(this.signUpPerIp, ip, 'too many sign-ups from this address; try again later')
    await consumeOrRefuse(this.signUpPerEmail, email, 'too many sign-ups for this email; check your inbox')
  }

  async invitation(workspaceId: string): Promise<void> {
    await consumeOrRefuse(this.invitesPerWorkspace, workspaceId, 'too many invitations from this workspace in an hour')
  }
}
