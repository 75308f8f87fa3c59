// `/mfa help`, `/mfa help <subcommand>`, and the replies to an unknown subcommand or bad arguments.
import { PERIOD_EXAMPLES } from '../time/period.js';
import { context, escapeMrkdwn, header, lineSections, reply, section, shorten, type Reply } from './blocks.js';

export interface HelpEntry {
  name: string;
  usage: string;
  help: string;
  examples: string[];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The subcommand the user most likely meant, if any is close. */
export function closestName(typed: string, names: string[]): string | null {
  const word = typed.toLowerCase().slice(0, 40);
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const distance = name.startsWith(word) && word.length >= 2 ? 0 : editDistance(word, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : null;
}

function overviewLines(entries: HelpEntry[]): string[] {
  return entries.map((e) => `• \`/mfa ${e.usage}\`: ${escapeMrkdwn(e.help)}. e.g. \`/mfa ${e.examples[0]}\``);
}

export const help = {
  overview(entries: HelpEntry[]): Reply {
    return reply('mfa-bot: answers about MFA in your Entra ID tenant. /mfa help lists the subcommands.', [
      header('mfa-bot: what you can ask'),
      ...lineSections(overviewLines(entries)),
      context(`Periods: ${PERIOD_EXAMPLES}; the default is the last 7 days.`, 'Replies are visible only to you.'),
    ]);
  },

  detail(entry: HelpEntry): Reply {
    return reply(`/mfa ${entry.usage}`, [
      header(`/mfa ${entry.usage}`),
      section(`${escapeMrkdwn(entry.help)}.\n\n*Examples*\n${entry.examples.map((e) => `\`/mfa ${e}\``).join('\n')}`),
      context(`Periods: ${PERIOD_EXAMPLES}; the default is the last 7 days.`),
    ]);
  },

  unknown(typed: string, entries: HelpEntry[]): Reply {
    const shown = escapeMrkdwn(shorten(typed).replace(/`/g, "'"));
    const guess = closestName(typed, entries.map((e) => e.name));
    const first = guess ? `I don't know \`${shown}\`. Did you mean \`/mfa ${guess}\`?` : `I don't know \`${shown}\`.`;
    return reply(`${first} Try /mfa help.`, [section(first), ...lineSections(overviewLines(entries), '*What you can ask*')]);
  },

  usageError(entry: HelpEntry, problem: string): Reply {
    const text = `${problem}. Usage: \`/mfa ${entry.usage}\`, e.g. \`/mfa ${entry.examples[0]}\``;
    return reply(text, [section(escapeMrkdwn(problem).replace(/`/g, "'") + `.\nUsage: \`/mfa ${entry.usage}\`, e.g. \`/mfa ${entry.examples[0]}\``)]);
  },
};
