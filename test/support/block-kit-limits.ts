// Slack's Block Kit limits for a message, checked on a reply as Slack would receive it. Slack does
// not truncate an over-long block: it refuses the whole message (invalid_blocks), so the admin gets
// nothing. Sources: docs.slack.dev/reference/block-kit/blocks (and the section, header, context,
// actions and button pages); the summary is in shared/reference/slack-and-stack.md §1.6.
// Lengths are counted in UTF-16 code units, which is never fewer than Slack's characters.
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  /** A message's top-level `text` (the notification and screen-reader fallback when it has blocks): Slack cuts at 40,000 and asks for at most 4,000. */
  messageText: 4000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionId: 255,
  blockId: 255,
} as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Half of a surrogate pair on its own: text cut in the middle of an emoji; it cannot be sent as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Everything in `message` that Slack would refuse, as readable lines ("blocks[3].text: 3012
 * characters, at most 3000"); empty when it is a valid message. A block type this checker does
 * not know is reported too, so a new kind of block cannot slip by unchecked.
 */
export function blockKitProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const text = (where: string, value: unknown, max: number, type?: 'plain_text' | 'mrkdwn') => {
    if (!isObject(value) || typeof value.text !== 'string') {
      problems.push(`${where}: not a text object`);
      return;
    }
    if (type && value.type !== type) problems.push(`${where}: a ${String(value.type)} text object, Slack wants ${type}`);
    else if (value.type !== 'plain_text' && value.type !== 'mrkdwn') problems.push(`${where}: text type ${String(value.type)}`);
    string(`${where}.text`, value.text, max, 1);
  };
  const string = (where: string, value: unknown, max: number, min = 0) => {
    if (typeof value !== 'string') {
      problems.push(`${where}: not a string`);
      return;
    }
    if (value.length < min) problems.push(`${where}: empty`);
    if (value.length > max) problems.push(`${where}: ${value.length} characters, at most ${max}`);
    if (LONE_SURROGATE.test(value)) problems.push(`${where}: half of a surrogate pair (text cut inside a character)`);
  };

  if (message.text !== undefined) string('text', message.text, SLACK_LIMITS.messageText, 1);
  if (message.blocks === undefined) {
    if (message.text === undefined) problems.push('neither text nor blocks');
    return problems;
  }
  if (!Array.isArray(message.blocks)) return [...problems, 'blocks: not an array'];
  if (message.blocks.length > SLACK_LIMITS.blocksPerMessage) problems.push(`blocks: ${message.blocks.length}, at most ${SLACK_LIMITS.blocksPerMessage}`);

  const blockIds = new Set<string>();
  message.blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    if (!isObject(block)) {
      problems.push(`${at}: not an object`);
      return;
    }
    if (block.block_id !== undefined) {
      string(`${at}.block_id`, block.block_id, SLACK_LIMITS.blockId, 1);
      if (blockIds.has(String(block.block_id))) problems.push(`${at}.block_id: ${String(block.block_id)} used twice in one message`);
      blockIds.add(String(block.block_id));
    }
    switch (block.type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined) problems.push(`${at}: a section needs text or fields`);
        if (block.text !== undefined) text(`${at}.text`, block.text, SLACK_LIMITS.sectionText);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length === 0) problems.push(`${at}.fields: not a non-empty array`);
          else {
            if (block.fields.length > SLACK_LIMITS.sectionFields) problems.push(`${at}.fields: ${block.fields.length}, at most ${SLACK_LIMITS.sectionFields}`);
            block.fields.forEach((field, j) => text(`${at}.fields[${j}]`, field, SLACK_LIMITS.fieldText));
          }
        }
        if (block.accessory !== undefined) problems.push(`${at}.accessory: not checked by this test (add its limits here)`);
        break;
      }
      case 'header':
        text(`${at}.text`, block.text, SLACK_LIMITS.headerText, 'plain_text');
        break;
      case 'context': {
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length === 0) {
          problems.push(`${at}.elements: not a non-empty array`);
          break;
        }
        if (elements.length > SLACK_LIMITS.contextElements) problems.push(`${at}.elements: ${elements.length}, at most ${SLACK_LIMITS.contextElements}`);
        elements.forEach((element, j) => {
          if (isObject(element) && element.type === 'image') problems.push(`${at}.elements[${j}]: image elements are not checked by this test`);
          else if (isObject(element)) string(`${at}.elements[${j}].text`, element.text, SLACK_LIMITS.contextText, 1);
          else problems.push(`${at}.elements[${j}]: not an object`);
        });
        break;
      }
      case 'actions': {
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length === 0) {
          problems.push(`${at}.elements: not a non-empty array`);
          break;
        }
        if (elements.length > SLACK_LIMITS.actionsElements) problems.push(`${at}.elements: ${elements.length}, at most ${SLACK_LIMITS.actionsElements}`);
        const actionIds = new Set<string>();
        elements.forEach((element, j) => {
          const where = `${at}.elements[${j}]`;
          if (!isObject(element) || element.type !== 'button') {
            problems.push(`${where}: only buttons are checked by this test`);
            return;
          }
          text(`${where}.text`, element.text, SLACK_LIMITS.buttonText, 'plain_text');
          string(`${where}.action_id`, element.action_id, SLACK_LIMITS.actionId, 1);
          if (actionIds.has(String(element.action_id))) problems.push(`${where}.action_id: ${String(element.action_id)} used twice in one block`);
          actionIds.add(String(element.action_id));
          if (element.value !== undefined) string(`${where}.value`, element.value, SLACK_LIMITS.buttonValue);
          if (element.url !== undefined) string(`${where}.url`, element.url, SLACK_LIMITS.buttonUrl);
        });
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${at}: block type ${String(block.type)} is not checked by this test (add its limits here)`);
    }
  });
  return problems;
}
