/**
 * OTP delivery providers. `console` logs the code (development; non-production tenants also echo it in the
 * response as Vlens does); `http` posts to an SMS/email gateway of the operator's choice.
 */
export interface OtpMessage {
  channel: 'sms' | 'email';
  to: string;
  code: string;
  purpose: string;
  tenantName: string;
  expiresInSeconds: number;
}

export interface OtpSender {
  send(msg: OtpMessage): Promise<void>;
}

type Log = { info(obj: object, msg?: string): void };

/** Masks a destination for logs: keeps the last 3 characters. */
export function maskDestination(to: string): string {
  return to.length <= 3 ? '***' : `${'*'.repeat(Math.max(3, to.length - 3))}${to.slice(-3)}`;
}

export class ConsoleOtpSender implements OtpSender {
  constructor(private readonly log: Log) {}
  async send(m: OtpMessage): Promise<void> {
    this.log.info({ otp: m.code, channel: m.channel, to: maskDestination(m.to), tenant: m.tenantName, purpose: m.purpose }, 'OTP (console provider)');
  }
}

export class HttpOtpSender implements OtpSender {
  constructor(private readonly url: string, private readonly token?: string, private readonly timeoutMs = 10_000) {}
  async send(m: OtpMessage): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify(m),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`OTP gateway answered HTTP ${res.status}`);
  }
}
