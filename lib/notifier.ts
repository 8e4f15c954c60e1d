// Outbound notifications leave the system here (e-mail, SMS, the government messaging app). The
// outbox row is written in the same transaction as the event; delivery is at least once. The
// default notifier writes one log line per notification: ids and kinds only, no message text,
// because messages may name people.

export interface OutboundNotification {
  id: string;
  decisionId: string;
  recipientRole: string;
  recipientId: string | null;
  kind: string;
  message: string;
  /**
   * Where a message to a member of the public goes (a verification code): a real notifier sends
   * it there. Never logged: it is personal data.
   */
  destination?: { channel: 'email' | 'phone'; address: string };
}

export interface Notifier {
  deliver(n: OutboundNotification): Promise<void>;
}

export const logNotifier: Notifier = {
  async deliver(n) {
    process.stdout.write(
      JSON.stringify({
        msg: 'notification',
        id: n.id,
        decision: n.decisionId,
        to: n.recipientId ?? n.recipientRole,
        kind: n.kind,
      }) + '\n',
    );
  },
};
