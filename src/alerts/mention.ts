// A Slack mention for a user group (S…) or a user (U… / W…), as FRAUD_ESCALATE_MENTION and
// `acted_by` hold them.

export function formatMention(id: string): string {
  if (id.startsWith('S')) return `<!subteam^${id}>`;
  if (/^[UW][A-Z0-9]+$/.test(id)) return `<@${id}>`;
  return id;
}
